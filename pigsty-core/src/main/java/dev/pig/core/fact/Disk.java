package dev.pig.core.fact;

/** One local file system from {@code df -P -k}, sizes in KiB. */
public record Disk(String filesystem, long sizeKb, long usedKb, long availableKb, String mount) {
}
