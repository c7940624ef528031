package dev.pig.core.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.HexFormat;

/** One remote operation of a change, run as root by the executor. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Step.Exec.class, name = "exec"),
        @JsonSubTypes.Type(value = Step.Upload.class, name = "upload")})
public sealed interface Step {

    /** The step as shown to people and logs: secrets masked. */
    String shown();

    /**
     * Runs a shell command; a non-zero exit fails the host.
     *
     * @param shown the command with secrets replaced by {@code ***}
     */
    record Exec(String command, String shown) implements Step {
        public static Exec of(String command, Masker masker) {
            return new Exec(command, masker.mask(command));
        }
    }

    /** Writes a file atomically with its mode and owner. */
    record Upload(String path, byte[] content, String mode, String owner, String group, String sha256) implements Step {

        public static Upload of(String path, byte[] content, String mode, String owner, String group) {
            return new Upload(path, content.clone(), mode, owner, group, Hashes.sha256(content));
        }

        @Override
        public String shown() {
            return "upload " + path + " (" + content.length + " bytes, sha256 " + sha256.substring(0, 12) + "…, mode "
                    + mode + ", " + owner + ":" + group + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Upload u && path.equals(u.path) && sha256.equals(u.sha256)
                    && java.util.Objects.equals(mode, u.mode) && java.util.Objects.equals(owner, u.owner)
                    && java.util.Objects.equals(group, u.group);
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + sha256.hashCode();
        }

        @Override
        public String toString() {
            return shown();
        }
    }

    /** Hex sha256, the way {@code sha256sum} prints it. */
    final class Hashes {
        private Hashes() {
        }

        public static String sha256(byte[] b) {
            try {
                return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
