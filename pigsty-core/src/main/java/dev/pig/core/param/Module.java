package dev.pig.core.param;

/**
 * The Pigsty modules whose parameters pig knows, in the order a full deployment applies them.
 * Only some of them are deployed by pig; the parameters of the others are accepted so that a
 * Pigsty inventory loads unchanged, with one warning per module saying so.
 */
public enum Module {
    INFRA(true), NODE(true), ETCD(true), MINIO(true), PGSQL(true), REDIS(true), DOCKER(false),
    KAFKA(false), MYSQL(false), FERRET(false), JUICE(false), VIBE(false);

    private final boolean deployed;

    Module(boolean deployed) {
        this.deployed = deployed;
    }

    /** Whether {@code pig deploy} applies this module. */
    public boolean deployed() {
        return deployed;
    }
}
