package dev.pig.modules.pgsql;

import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;

/**
 * The stages of the PGSQL module, {@code 50.NN pgsql <name>}: they sort after NODE (20) and ETCD
 * (30), and within the module in the order of {@link PgsqlModule}'s stage list. Operations
 * ({@code pig pgsql backup}, {@code pitr}) use the same numbering.
 */
final class Stage {
    static final String MODULE = "pgsql";
    static final int ORDER = 50;

    private Stage() {
    }

    /**
     * A PGSQL task that must run before ETCD's stages ({@code 29.90 pgsql <name>}): the pause
     * that keeps a cluster's leader while etcd moves to https ({@link PatroniDcs}).
     */
    static Staged ahead(String name, Task task) {
        return Staged.of(String.format("%02d.90 %s %s", 29, MODULE, name), task);
    }

    static Staged of(int n, String name, Task task) {
        return Staged.of(name(n, name), task);
    }

    /**
     * A task of a stage that needs nothing from other hosts ({@link Staged#local}): a node installs
     * PostgreSQL while the infra node still starts etcd.
     */
    static Staged local(int n, String name, Task task) {
        return Staged.local(name(n, name), task);
    }

    private static String name(int n, String name) {
        if (n < 0 || n > 99) {
            // stages sort as text: 100 would come before 99
            throw new IllegalArgumentException("a PGSQL stage is 0 to 99, got " + n);
        }
        return String.format("%02d.%02d %s %s", ORDER, n, MODULE, name);
    }
}
