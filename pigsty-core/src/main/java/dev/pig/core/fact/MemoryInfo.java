package dev.pig.core.fact;

/** Memory from {@code /proc/meminfo}, in KiB. */
public record MemoryInfo(long totalKb, long availableKb, long swapTotalKb) {
}
