package dev.pig.core.fact;

import java.util.Arrays;
import java.util.Optional;

/**
 * A path on the host. Links are not followed: a symlink reports its own target.
 *
 * @param mode    four octal digits, e.g. {@code 0644}; empty when missing
 * @param sha256  hex digest of a regular file's content, empty otherwise
 * @param link    a symlink's target as written, empty otherwise
 * @param content the content of a regular file when it was asked for and small enough, else null
 */
public record FileState(String path, Type type, String mode, String owner, String group, long size, String sha256,
                        String link, byte[] content) {

    /** What kind of thing the path is. */
    public enum Type { MISSING, FILE, DIRECTORY, SYMLINK, OTHER }

    public static FileState missing(String path) {
        return new FileState(path, Type.MISSING, "", "", "", 0, "", "", null);
    }

    public boolean exists() {
        return type != Type.MISSING;
    }

    public Optional<byte[]> knownContent() {
        return Optional.ofNullable(content).map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileState f && path.equals(f.path) && type == f.type && mode.equals(f.mode)
                && owner.equals(f.owner) && group.equals(f.group) && size == f.size && sha256.equals(f.sha256)
                && link.equals(f.link) && Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + sha256.hashCode();
    }

    @Override
    public String toString() {
        return "FileState[" + path + " " + type + " " + mode + " " + owner + ":" + group + " " + sha256 + "]";
    }
}
