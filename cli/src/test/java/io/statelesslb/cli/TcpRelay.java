package io.statelesslb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port to one server, which a test cuts (every connection closed, new ones refused) and
 * heals: a partition between one client and its server, where the server stays up for everyone else.
 */
final class TcpRelay implements AutoCloseable {

    private final URI to;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    private TcpRelay(URI to, int port) {
        this.to = to;
        this.port = port;
    }

    /** Relays from a free loopback port to {@code to} (a {@code http://HOST:PORT} URL). */
    static TcpRelay to(URI to) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TcpRelay relay = new TcpRelay(to, probe.getLocalPort());
            probe.close();
            relay.heal();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the URL clients use instead of the server's */
    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Closes every connection and refuses new ones. */
    void cut() {
        try {
            listener.close();
        } catch (IOException e) {
            // closed already
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
        open.clear();
    }

    /** Accepts and relays again, on the same port. */
    void heal() {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = server;
            daemon(() -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(to.getHost(), to.getPort());
                open.add(client);
                open.add(upstream);
                daemon(() -> pump(client, upstream));
                daemon(() -> pump(upstream, client));
            } catch (IOException e) {
                // cut, or the server refused: the client sees its connection closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    private static void daemon(Runnable loop) {
        Thread thread = new Thread(loop, "tcp-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        cut();
    }
}
