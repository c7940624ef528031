package dev.pig.core.model;

/** An instance's role in its PostgreSQL cluster ({@code pg_role}). */
public enum PgRole {
    PRIMARY, REPLICA, OFFLINE, STANDBY, DELAYED;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
