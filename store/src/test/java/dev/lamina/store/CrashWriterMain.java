package dev.lamina.store;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link CrashRecoveryTest}: continues the workload from the batch the store holds, commits
 * every few batches and prints {@code committed N} once each commit returns, until it is killed.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        PrintStream out = System.out;
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).valueThreshold(512)
                .vlogFileSize(64 << 10).vlogGcThreshold(0.3).build();
        try (Lamina db = Lamina.open(dir, options)) {
            long i = CrashWorkload.decode(db.get(CrashWorkload.COUNTER));
            out.println("started " + i);
            out.flush();
            while (true) {
                i++;
                db.write(CrashWorkload.batch(i));
                if (i % CrashWorkload.COMMIT_EVERY == 0) {
                    db.commit(CrashWorkload.encode(i));
                    out.println("committed " + i);
                    out.flush();
                }
                if (i % CrashWorkload.FLUSH_EVERY == 0) {
                    db.flush();
                }
            }
        }
    }
}
