package dev.pig.core.fact;

/** A user from {@code getent passwd}. */
public record UserEntry(String name, int uid, int gid, String comment, String home, String shell) {
}
