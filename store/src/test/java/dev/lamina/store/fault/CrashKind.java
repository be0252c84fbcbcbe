package dev.lamina.store.fault;

/** What survives a crash, as {@link PowerLossFileSystem} models it. */
public enum CrashKind {
    /**
     * Power loss: of each file only the bytes a {@code WritableFile.sync} covered; of each directory only the entries
     * (creations, renames, deletions) a {@code syncDirectory} covered.
     */
    POWER_LOSS,
    /**
     * Power loss where the disk had also written some of the unsynced tail: each file keeps its synced bytes plus a
     * random prefix of the bytes handed to the operating system after them. Directory entries as for
     * {@link #POWER_LOSS}.
     */
    POWER_LOSS_TORN_TAIL,
    /**
     * The process dies (kill -9) but the machine does not: every byte handed to the operating system and every
     * directory change survive; bytes still in a user-space buffer are lost.
     */
    PROCESS_CRASH
}
