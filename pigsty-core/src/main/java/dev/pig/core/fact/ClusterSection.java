package dev.pig.core.fact;

/**
 * A fact section about one cluster of a module, named {@code <kind>.<cluster>}
 * ({@code pgsql.catalog.pg-test}): the name, and the script built once when the section is made.
 * Subclasses keep what is theirs: the script and {@link #parse}.
 *
 * <pre>{@code
 * final class RedisInfo extends ClusterSection<RedisInfo.View> {
 *     RedisInfo(String cluster, int port) { super("redis.info", cluster, "redis-cli -p " + port + " info"); }
 *     public View parse(String output) { ... }
 * }
 * }</pre>
 *
 * @param <T> the parsed, immutable value
 */
public abstract class ClusterSection<T> implements FactSection<T> {
    private final String name;
    private final String cluster;
    private final String script;

    protected ClusterSection(String kind, String cluster, String script) {
        this.name = nameOf(kind, cluster);
        this.cluster = cluster;
        this.script = script;
    }

    /** The name a section of {@code kind} has for {@code cluster}. */
    public static String nameOf(String kind, String cluster) {
        return kind + "." + cluster;
    }

    public String cluster() {
        return cluster;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String script() {
        return script;
    }
}
