package dev.pig.core.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.HexFormat;

/** One remote operation of a change, run as root by the executor. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Step.Exec.class, name = "exec"),
        @JsonSubTypes.Type(value = Step.Upload.class, name = "upload"),
        @JsonSubTypes.Type(value = Step.Dir.class, name = "dir"),
        @JsonSubTypes.Type(value = Step.Link.class, name = "link"),
        @JsonSubTypes.Type(value = Step.Sign.class, name = "sign")})
public sealed interface Step {

    /** The step as shown to people and logs: secrets masked. */
    String shown();

    /**
     * Runs a shell command; a non-zero exit fails the host. What the command reads on its standard
     * input travels apart from it: SQL for psql, and every secret a command needs, since a command
     * line is visible to every local user of the host ({@code ps}) and stdin is not.
     *
     * @param shown      the command with secrets replaced by {@code ***}
     * @param input      fed to the command's stdin, or null for none
     * @param shownInput the input as people may see it (secrets masked), or null
     */
    record Exec(String command, String shown, String input, String shownInput) implements Step {
        public Exec(String command, String shown) {
            this(command, shown, null, null);
        }

        public static Exec of(String command, Masker masker) {
            return new Exec(command, masker.mask(command));
        }

        /** A command fed {@code input} on its stdin; the shown input is masked. */
        public static Exec withInput(String command, String input, Masker masker) {
            return new Exec(command, masker.mask(command), input, masker.mask(input));
        }

        /**
         * A command fed {@code input}, shown as {@code shownInput}: for input whose secrets the
         * masker cannot know (a password verifier computed at plan time).
         */
        public static Exec withInput(String command, String input, String shownInput, Masker masker) {
            return new Exec(command, masker.mask(command), input, masker.mask(shownInput));
        }
    }

    /**
     * A directory with its mode and owner, made like {@code mkdir -p}. The transport makes it as the
     * user who owns the directory it is made in when that is not root, so a link planted there
     * cannot redirect a root write (see {@code dev.pig.core.ssh.SafeFs}).
     */
    record Dir(String path, String mode, String owner, String group) implements Step {
        @Override
        public String shown() {
            return "mkdir " + path + " (" + mode + " " + owner + ":" + group + ")";
        }
    }

    /** A symbolic link {@code path -> target}, replaced when it points elsewhere; made like {@link Dir}. */
    record Link(String path, String target) implements Step {
        @Override
        public String shown() {
            return "ln -s " + target + " " + path;
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

    /**
     * A certificate for a key that stays on the host: {@code request} runs on the host and prints
     * a certificate request made with the host's key (making the key first when there is none);
     * the inventory's CA signs it where pig runs, with pig's names and lifetime, and the
     * certificate is written like {@link Upload}. Only the request and the certificate travel.
     *
     * @param request the command printing the request, PEM (pig's own, from checked names)
     * @param names   the certificate's subject alternative names, {@code DNS:...} or {@code IP:...}
     * @param days    its lifetime
     */
    record Sign(String request, java.util.List<String> names, int days, String path, String mode, String owner, String group)
            implements Step {
        public Sign {
            names = java.util.List.copyOf(names);
        }

        @Override
        public String shown() {
            return "certificate " + path + " for " + String.join(",", names) + ", " + days + " days (mode " + mode + ", " + owner + ":"
                    + group + "), signed by the CA for the request this prints on the host:\n" + request;
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
