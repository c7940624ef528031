package dev.pig.core.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names S3 accepts for a bucket, checked before anything is made: S3Proxy's filesystem store
 * takes any directory name, so a bucket it makes could not be reached by a client that follows
 * the rules (pgBackRest, mcli, the AWS SDKs), and MinIO refuses it only once it runs.
 *
 * <pre>
 * minio_buckets: [ { name: pgsql } ]            # 3-63 of a-z 0-9 . -, a letter or digit at each end
 * pgbackrest_repo: { minio: { s3_bucket: pgsql } }
 * </pre>
 */
public final class S3Names {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_LIKE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private S3Names() {
    }

    /** Why S3 refuses {@code name} as a bucket name, or empty when it takes it. */
    public static Optional<String> bucketProblem(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return Optional.of("it has " + name.length() + " characters, and a bucket name has 3 to 63");
        }
        if (!BUCKET.matcher(name).matches()) {
            return Optional.of("a bucket name is lowercase letters, digits, '.' and '-', starting and ending with a letter or digit");
        }
        if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
            return Optional.of("a bucket name has no '..', '.-' or '-.'");
        }
        if (IP_LIKE.matcher(name).matches()) {
            return Optional.of("a bucket name is not written like an IP address");
        }
        if (name.startsWith("xn--") || name.startsWith("sthree-") || name.endsWith("-s3alias") || name.endsWith("--ol-s3")) {
            return Optional.of("S3 keeps the prefixes xn-- and sthree- and the suffixes -s3alias and --ol-s3 for itself");
        }
        return Optional.empty();
    }
}
