package dev.pig.modules.minio;

import java.util.List;

import dev.pig.core.task.Task;

/**
 * Where an S3 server's TLS certificate comes from: the inventory's CA ({@link CaIssued}), which
 * every node trusts, so a client needs nothing copied from the server to verify it.
 */
sealed interface ServerCertificate permits CaIssued {

    /** The certificate source of a member ({@code minio_https}). */
    static ServerCertificate of(MinioNode n) {
        return new CaIssued(n);
    }

    /** The certificate the member serves, as MinIO finds it: {@code ~/.minio/certs/public.crt}. */
    String certificate();

    /** The member's private key: {@code ~/.minio/certs/private.key}. */
    String key();

    /** The tasks that put the certificate and its key in place on the member. */
    List<Task> tasks();
}
