package io.statelesslb.bird;

import io.statelesslb.dataplane.routing.RoutingException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of BIRD's control socket, the one {@code birdc} uses: a command per line, a reply of coded lines per
 * command ({@code 0001 BIRD 2.0.12 ready.} greets). Every exchange has a deadline, so a BIRD that hangs is a
 * {@link RoutingException}, never a stuck caller. Not thread-safe: one exchange at a time.
 */
public final class BirdControl implements AutoCloseable {

    private static final int GREETING = 1;

    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final StringBuilder pending = new StringBuilder();

    private BirdControl(SocketChannel channel, Selector selector, Duration timeout) {
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /**
     * Connects to BIRD's socket and reads its greeting.
     *
     * @throws RoutingException when nothing answers there, or not as BIRD does
     */
    public static BirdControl connect(Path socket, Duration timeout) {
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            BirdControl control = new BirdControl(channel, selector, timeout);
            BirdReply greeting = control.read();
            if (greeting.code() != GREETING) {
                control.close();
                throw new RoutingException("the control socket " + socket + " does not greet as BIRD does: "
                        + greeting.text());
            }
            return control;
        } catch (IOException e) {
            closeQuietly(selector);
            closeQuietly(channel);
            throw new RoutingException("BIRD's control socket " + socket + " does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * @param command a command as {@code birdc} takes it, such as {@code show protocols all}
     * @return BIRD's reply, an error reply included
     * @throws RoutingException when the socket fails or BIRD does not finish answering in time
     */
    public BirdReply send(String command) {
        if (command.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one command, one line: " + command);
        }
        try {
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return read();
        } catch (IOException e) {
            throw new RoutingException("BIRD's control socket failed on '" + command + "': " + e.getMessage(), e);
        }
    }

    /** Reads lines until one ends the reply: a code followed by a space (a dash continues). */
    private BirdReply read() throws IOException {
        List<BirdReply.Line> lines = new ArrayList<>();
        int code = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int newline = pending.indexOf("\n");
            if (newline >= 0) {
                String line = pending.substring(0, newline);
                pending.delete(0, newline + 1);
                if (line.length() >= 5 && Character.isDigit(line.charAt(0)) && (line.charAt(4) == ' '
                        || line.charAt(4) == '-')) {
                    code = Integer.parseInt(line.substring(0, 4));
                    lines.add(new BirdReply.Line(code, line.substring(5)));
                    if (line.charAt(4) == ' ') {
                        return new BirdReply(lines);
                    }
                } else {
                    lines.add(new BirdReply.Line(code, line.startsWith(" ") ? line.substring(1) : line));
                }
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            in.clear();
            int read = channel.read(in);
            if (read < 0) {
                throw new IOException("BIRD closed the socket");
            }
            in.flip();
            pending.append(StandardCharsets.UTF_8.decode(in));
        }
    }

    @Override
    public void close() {
        closeQuietly(selector);
        closeQuietly(channel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing what failed: nothing more to say than the failure itself.
            }
        }
    }
}
