package dev.pig.modules.minio;

import java.util.List;

import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;

/**
 * Where an S3 server's TLS certificate comes from, and what its clients must trust to verify it.
 * Today each member makes its own, self-signed ({@link SelfSigned}); a CA of the inventory plugs
 * in here as another source, issuing the member's certificate and naming the CA's certificate as
 * what clients trust, without the module or its clients changing.
 */
sealed interface ServerCertificate permits SelfSigned {

    /** The certificate source of a member ({@code minio_https}). */
    static ServerCertificate of(MinioNode n) {
        return new SelfSigned(n);
    }

    /** The certificate the member serves, as MinIO finds it: {@code ~/.minio/certs/public.crt}. */
    String certificate();

    /** The member's private key: {@code ~/.minio/certs/private.key}. */
    String key();

    /** The tasks that put the certificate and its key in place on the member. */
    List<Task> tasks();

    /** The files of the inventory a client of this member trusts, read at apply time. */
    List<Step.Copy.Source> trust();
}
