package dev.lamina.store.version;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * CURRENT names the live MANIFEST: one line, {@code MANIFEST-NNNNNN\n}. It is replaced atomically (write a temp
 * file, sync, rename, sync the directory), so it always names a complete manifest.
 */
public final class CurrentFile {
    private static final int MAX_SIZE = 256;

    private CurrentFile() {
    }

    /** The manifest number CURRENT names, or -1 when there is no CURRENT. */
    public static long read(FileSystem fs, Path dir) {
        Path path = dir.resolve(FileNames.CURRENT);
        if (!fs.exists(path)) {
            return -1;
        }
        byte[] buf = new byte[MAX_SIZE + 1];
        int n;
        try (ReadableFile f = fs.openReadable(path)) {
            n = f.read(0, buf, 0, buf.length);
        }
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        if (n > MAX_SIZE || !text.endsWith("\n")) {
            throw new CorruptionException("CURRENT is not one terminated line", path, 0);
        }
        FileNames.Parsed parsed = FileNames.parse(text.substring(0, text.length() - 1));
        if (parsed.kind() != FileNames.Kind.MANIFEST) {
            throw new CorruptionException("CURRENT does not name a manifest: '" + text.strip() + "'", path, 0);
        }
        return parsed.number();
    }

    /** Points CURRENT at manifest {@code number}, atomically and durably. */
    public static void write(FileSystem fs, Path dir, long number) {
        Path path = dir.resolve(FileNames.CURRENT);
        Path temp = FileNames.tempFor(path);
        try (WritableFile f = fs.create(temp)) {
            f.append((FileNames.manifest(number) + "\n").getBytes(StandardCharsets.UTF_8));
            f.sync();
        }
        fs.rename(temp, path);
        fs.syncDirectory(dir);
    }
}
