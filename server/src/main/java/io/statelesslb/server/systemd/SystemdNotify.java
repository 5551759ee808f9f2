package io.statelesslb.server.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the daemon is, when it runs as a {@code Type=notify} unit ({@code $NOTIFY_SOCKET} is set):
 * {@code READY=1} once it serves, {@code RELOADING=1} and {@code STOPPING=1}, and a one-line {@code STATUS=} that
 * {@code systemctl status} shows. Without {@code $NOTIFY_SOCKET} every call does nothing. The message is one
 * datagram on the unix socket systemd names (the JDK's channels have no unix datagrams; the C library has).
 */
public final class SystemdNotify {

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family, then up to 108 bytes of path. */
    private static final int SOCKADDR_UN = 110;

    private final String socket;

    private SystemdNotify(String socket) {
        this.socket = socket;
    }

    /** @return the notifier for this process: systemd's socket from {@code $NOTIFY_SOCKET}, or none */
    public static SystemdNotify fromEnvironment() {
        return new SystemdNotify(System.getenv("NOTIFY_SOCKET"));
    }

    /** @return whether systemd listens (the daemon runs as a {@code Type=notify} unit) */
    public boolean enabled() {
        return socket != null && !socket.isEmpty();
    }

    /** Says the daemon serves: systemd's start job completes, units ordered after it start. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    /** Says the daemon reloads its configuration; {@link #ready} follows when it is done. */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    /** Says the daemon stops: it drains and closes. */
    public void stopping() {
        send("STOPPING=1");
    }

    /** Sends {@code message}; a failure is logged, never thrown: systemd's bookkeeping never stops the daemon. */
    void send(String message) {
        if (!enabled()) {
            return;
        }
        Optional<String> failure = sendTo(socket, message.getBytes(StandardCharsets.UTF_8));
        failure.ifPresent(why -> LOG.warn("cannot tell systemd {} through {}: {}", message.lines().findFirst()
                .orElse(""), socket, why));
    }

    /** @return why the datagram could not be sent, if it could not */
    static Optional<String> sendTo(String path, byte[] message) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > SOCKADDR_UN - 3) {
            return Optional.of("the socket's name is empty or longer than 107 bytes");
        }
        // struct sockaddr_un: sun_family, then the path; an abstract name ('@...') starts with a zero byte.
        byte[] address = new byte[2 + name.length + (path.startsWith("@") ? 0 : 1)];
        address[0] = (byte) AF_UNIX;
        System.arraycopy(name, 0, address, 2, name.length);
        if (path.startsWith("@")) {
            address[2] = 0;
        }
        int fd;
        try {
            fd = C.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return Optional.of("socket: " + e.getMessage());
        }
        try {
            C.INSTANCE.sendto(fd, message, message.length, 0, address, address.length);
            return Optional.empty();
        } catch (LastErrorException e) {
            return Optional.of("sendto: " + e.getMessage());
        } finally {
            C.INSTANCE.close(fd);
        }
    }

    /** The C library calls a datagram to systemd needs. */
    interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd);
    }
}
