package dev.lamina.store.version;

import java.nio.file.Path;

/** Names of the files in a store directory; see docs/formats.md, "Files of one store". */
public final class FileNames {
    public static final String CURRENT = "CURRENT";
    public static final String LOCK = "LOCK";
    public static final String MANIFEST_PREFIX = "MANIFEST-";
    public static final String TABLE_SUFFIX = ".sst";
    public static final String LOG_SUFFIX = ".log";
    public static final String VLOG_SUFFIX = ".vlog";
    /** An obsolete value-log file kept to be written again as a new one; {@code open} deletes any it finds. */
    public static final String RECYCLE_SUFFIX = ".recycle";
    /** Suffix of files being written; {@code open} deletes any it finds (a crash left them). */
    public static final String TEMP_SUFFIX = ".tmp";

    /** Kinds of file a store directory holds. */
    public enum Kind { CURRENT, LOCK, MANIFEST, TABLE, LOG, VLOG, RECYCLE, TEMP, UNKNOWN }

    /** A parsed file name: its kind and number (-1 where the kind has none). */
    public record Parsed(Kind kind, long number) {
    }

    private FileNames() {
    }

    public static String table(long number) {
        return String.format("%06d%s", number, TABLE_SUFFIX);
    }

    public static String log(long number) {
        return String.format("%06d%s", number, LOG_SUFFIX);
    }

    public static String vlog(long number) {
        return String.format("%06d%s", number, VLOG_SUFFIX);
    }

    public static String recycle(long number) {
        return String.format("%06d%s", number, RECYCLE_SUFFIX);
    }

    public static String manifest(long number) {
        return String.format("%s%06d", MANIFEST_PREFIX, number);
    }

    public static Path tablePath(Path dir, long number) {
        return dir.resolve(table(number));
    }

    public static Path tempFor(Path file) {
        return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    }

    public static Parsed parse(String name) {
        if (name.equals(CURRENT)) {
            return new Parsed(Kind.CURRENT, -1);
        }
        if (name.equals(LOCK)) {
            return new Parsed(Kind.LOCK, -1);
        }
        if (name.endsWith(TEMP_SUFFIX)) {
            return new Parsed(Kind.TEMP, -1);
        }
        if (name.startsWith(MANIFEST_PREFIX)) {
            long n = parseNumber(name.substring(MANIFEST_PREFIX.length()));
            return new Parsed(n < 0 ? Kind.UNKNOWN : Kind.MANIFEST, n);
        }
        for (var suffix : new Object[][] {{TABLE_SUFFIX, Kind.TABLE}, {LOG_SUFFIX, Kind.LOG}, {VLOG_SUFFIX, Kind.VLOG},
                {RECYCLE_SUFFIX, Kind.RECYCLE}}) {
            String s = (String) suffix[0];
            if (name.endsWith(s)) {
                long n = parseNumber(name.substring(0, name.length() - s.length()));
                return new Parsed(n < 0 ? Kind.UNKNOWN : (Kind) suffix[1], n);
            }
        }
        return new Parsed(Kind.UNKNOWN, -1);
    }

    private static long parseNumber(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
