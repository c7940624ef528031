/**
 * MINIO: S3 object storage, run by MinIO from the node's package sources or by S3Proxy on Debian's
 * JRE; its buckets, users and certificate; and {@link dev.pig.modules.minio.S3Endpoint}, how
 * other modules (pgBackRest's repository) find the store an endpoint names and what to trust.
 */
package dev.pig.modules.minio;
