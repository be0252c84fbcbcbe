package dev.lamina.benchmarks.restore;

import dev.lamina.benchmarks.Directories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records replayed after {@code kill -9}. Per round and store, with a new application id and input topic: the
 * application starts on an empty state directory; once its task is ready, input arrives at a steady rate
 * ({@code bench.kill.rate} records/s, keys from a key space of {@code bench.kill.keys}, so values overwrite each
 * other); after the round's delay the JVM gets SIGKILL. Then the application restarts on the same state directory
 * and is timed until its task is ready again. Every store sees the same delays and the same input rate.
 */
final class KillRestore {
    private static final long TIMEOUT_MS = 15 * 60 * 1000L;

    private final RestoreRun run;
    private final String guarantee;

    KillRestore(RestoreRun run, String guarantee) {
        this.run = run;
        this.guarantee = guarantee;
    }

    List<RunResult> run() throws Exception {
        Settings s = run.settings();
        boolean eos = guarantee.startsWith("exactly");
        List<RunResult> results = new ArrayList<>();
        for (int round = 0; round < s.rounds(); round++) {
            double killSeconds = s.killSeconds(eos ? s.eosKillSeconds() : s.alosKillSeconds(), round);
            for (StoreChoice store : RestoreRun.rotated(s.killStores(), round)) {
                String app = "kill-" + (eos ? "eos" : "alos") + "-" + store.name().toLowerCase() + "-" + round;
                results.add(killAndRestart(app, store, round, killSeconds, eos ? null : s.alosCommitMs()));
            }
        }
        return results;
    }

    private RunResult killAndRestart(String app, StoreChoice store, int round, double killSeconds, String commitMs)
            throws Exception {
        Settings s = run.settings();
        String input = app + "-input";
        run.createTopic(input);
        Path state = run.newDir("state-" + app);
        try {
            long processed;
            try (ChildJvm first = ChildJvm.start(run.appArgs(app, state, store, input, guarantee, commitMs),
                    RestoreRun.CHILD_HEAP, run.log(app + "-first"));
                    RecordSource source = new RecordSource(run.bootstrap(), s.killValue(), round)) {
                first.awaitReady(TIMEOUT_MS);
                source.startPaced(input, s.killRate(), s.killKeys());
                Thread.sleep((long) (killSeconds * 1000));
                first.kill();
                source.stopPaced();
                processed = first.processed();
            }
            long inputCommitted = run.committedOffset(app, input);
            long changelogEnd = run.endOffset(RestoreApp.changelog(app));
            long stateBytes = Directories.bytes(state);
            try (ChildJvm second = ChildJvm.start(run.appArgs(app, state, store, input, guarantee, commitMs),
                    RestoreRun.CHILD_HEAP, run.log(app + "-restart"))) {
                second.awaitReady(TIMEOUT_MS);
                second.stop();
                String corruption = second.corruptedTaskLine();
                RunResult r = new RunResult("kill", guarantee, store, s.killValue(), round, killSeconds, processed,
                        inputCommitted, changelogEnd,
                        second.restoreFrom() < 0 ? changelogEnd : second.restoreFrom(), second.restored(),
                        second.restoreMillis(), second.readyMillis(), corruption != null,
                        stateBytes);
                System.out.printf("round %d %-24s %s: killed after %.1f s having processed %,d records (input"
                                + " committed up to %,d, changelog end %,d); restart restored %,d records from offset"
                                + " %,d in %.2f s%s, ready %.2f s after the JVM started%n", round, store.label(),
                        guarantee, killSeconds, processed, inputCommitted, changelogEnd, r.restored(),
                        r.restoreFrom(), r.restoreMillis() / 1e3, r.corrupted() ? " (task corrupted, wiped)" : "",
                        r.readyMillis() / 1e3);
                if (corruption != null) {
                    System.out.println("    " + corruption.substring(0, Math.min(400, corruption.length())));
                }
                return r;
            }
        } finally {
            Directories.deleteRecursively(state);
        }
    }
}
