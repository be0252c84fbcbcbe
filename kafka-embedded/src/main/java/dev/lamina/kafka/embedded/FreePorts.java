package dev.lamina.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback ports that are free at the moment of asking. */
final class FreePorts {

    /** The only address the embedded broker binds to. */
    static final String HOST = "127.0.0.1";

    private FreePorts() {
    }

    /**
     * Returns {@code count} distinct ports that were free on {@link #HOST} a moment ago. The sockets are held open
     * together, so the ports differ, and then closed for the broker to bind; another process may take one in
     * between, which the caller handles by retrying.
     */
    static int[] pick(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            InetAddress loopback = InetAddress.getByName(HOST);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, loopback);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do: the port is released either way once the socket is gone.
        }
    }
}
