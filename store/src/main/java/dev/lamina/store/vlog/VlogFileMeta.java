package dev.lamina.store.vlog;

/** A finished value-log file: its number, size in bytes, and the number of entries in it. */
public record VlogFileMeta(long number, long size, long entries) {
}
