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
     * Power loss on a file system that writes dirty pages back in any order and extends a file before its data is
     * written (XFS, ext4 with delayed allocation): each file keeps its synced bytes, then, up to a random length
     * within what was handed to the operating system, each 4 KiB page of the unsynced part either survives or reads
     * as zeros. Directory entries as for {@link #POWER_LOSS}.
     */
    POWER_LOSS_LOST_PAGES,
    /**
     * The process dies (kill -9) but the machine does not: every byte handed to the operating system and every
     * directory change survive; bytes still in a user-space buffer are lost.
     */
    PROCESS_CRASH
}
