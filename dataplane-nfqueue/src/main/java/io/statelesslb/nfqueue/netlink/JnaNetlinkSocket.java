package io.statelesslb.nfqueue.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A kernel netlink socket through the C library ({@code socket(AF_NETLINK, SOCK_RAW, protocol)}), bound to a port
 * id the kernel picks. Use {@link #isAvailable()} before opening one: it says whether this is Linux with a usable C
 * library, and {@link #unavailabilityCause()} why not.
 */
public final class JnaNetlinkSocket implements NetlinkTransport {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_NO_ENOBUFS = 5;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int EAGAIN = 11;
    /** {@code MSG_DONTWAIT}: return at once when nothing is waiting. */
    private static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_WAITFORONE}: recvmmsg waits for the first datagram only, then takes what is already waiting. */
    private static final int MSG_WAITFORONE = 0x10000;
    /** How long a receive waits for the kernel before giving up (it answers in microseconds). */
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;
    /** Large enough for any answer of the kernel's, which never splits a message over datagrams. */
    private static final int RECEIVE_BUFFER = 1 << 16;

    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private final int fd;
    private final Duration receiveTimeout;
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];

    private JnaNetlinkSocket(int fd, Duration receiveTimeout) {
        this.fd = fd;
        this.receiveTimeout = receiveTimeout;
    }

    /** @return whether netlink sockets can be opened here */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** @return why netlink sockets cannot be opened here, or null when they can */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /** @throws UnsupportedOperationException naming the cause when netlink is not available */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new UnsupportedOperationException("netlink is not available: " + UNAVAILABILITY_CAUSE.getMessage(),
                    UNAVAILABILITY_CAUSE);
        }
    }

    private static Throwable probe() {
        if (!Platform.isLinux()) {
            return new UnsupportedOperationException("not Linux (os.name=" + System.getProperty("os.name") + ")");
        }
        try {
            LibC.INSTANCE.getpid();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /**
     * Opens a socket in this process's network namespace.
     *
     * @param protocol such as {@link Netlink#NETLINK_ROUTE}
     * @throws NetlinkException naming the failing call and its errno
     */
    public static JnaNetlinkSocket open(int protocol) {
        return open(protocol, Duration.ofSeconds(RECEIVE_TIMEOUT_SECONDS));
    }

    /**
     * Opens a socket whose receives give up after {@code receiveTimeout} (with errno EAGAIN): loops that must
     * notice a stop between packets use a short one.
     */
    public static JnaNetlinkSocket open(int protocol, Duration receiveTimeout) {
        ensureAvailability();
        int fd;
        try {
            fd = LibC.INSTANCE.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw Errno.failed("socket(AF_NETLINK, " + protocol + ")", e);
        }
        byte[] address = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK).array();
        try {
            LibC.INSTANCE.bind(fd, address, address.length);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw Errno.failed("bind(netlink)", e);
        }
        // struct timeval { tv_sec; tv_usec; }: a kernel that never answers is an error, not a hang.
        byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(receiveTimeout.toSeconds())
                .putLong(receiveTimeout.toMillisPart() * 1000L).array();
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw Errno.failed("setsockopt(SO_RCVTIMEO)", e);
        }
        return new JnaNetlinkSocket(fd, receiveTimeout);
    }

    /**
     * Opens a socket in the network namespace of {@code namespaceFile} (such as {@code /run/netns/NAME}, as
     * {@code ip netns add} creates): a socket belongs to the namespace it was created in, so it is created on a
     * short-lived thread that first enters the namespace ({@code setns}). Needs CAP_SYS_ADMIN. A null
     * {@code namespaceFile} is the caller's own namespace.
     */
    public static JnaNetlinkSocket openIn(Path namespaceFile, int protocol) {
        return NetworkNamespace.call(namespaceFile, () -> open(protocol));
    }

    /** {@link #openIn(Path, int)} with a receive timeout of its own. */
    public static JnaNetlinkSocket openIn(Path namespaceFile, int protocol, Duration receiveTimeout) {
        return NetworkNamespace.call(namespaceFile, () -> open(protocol, receiveTimeout));
    }

    @Override
    public void send(byte[] datagram) {
        send(datagram, datagram.length);
    }

    @Override
    public byte[] receive() {
        return Arrays.copyOf(receiveBuffer, receive(receiveBuffer));
    }

    /**
     * Sizes the socket's receive buffer: the kernel queues there what this side has not read yet. Above the
     * system's limit only root gets it ({@code SO_RCVBUFFORCE}); otherwise the limit applies.
     */
    public void receiveBuffer(int bytes) {
        byte[] value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(bytes).array();
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, value.length);
        } catch (LastErrorException notPrivileged) {
            try {
                LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, value.length);
            } catch (LastErrorException e) {
                throw Errno.failed("setsockopt(SO_RCVBUF)", e);
            }
        }
    }

    /**
     * Asks the kernel not to report a full receive buffer ({@code NETLINK_NO_ENOBUFS}): for a queue under more load
     * than it can take, what does not fit is dropped (and counted by the kernel) rather than reported on every read.
     */
    public void noBufferErrors() {
        byte[] on = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array();
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, on, on.length);
        } catch (LastErrorException e) {
            throw Errno.failed("setsockopt(NETLINK_NO_ENOBUFS)", e);
        }
    }

    /**
     * Joins a multicast group ({@code NETLINK_ADD_MEMBERSHIP}): the kernel then sends this socket its notifications
     * of that group, such as {@code RTNLGRP_IPV4_ROUTE} for every route added or deleted.
     */
    public void subscribe(int group) {
        byte[] value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(group).array();
        try {
            LibC.INSTANCE.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, value, value.length);
        } catch (LastErrorException e) {
            throw Errno.failed("setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")", e);
        }
    }

    /**
     * @return the port id the kernel gave this socket ({@code getsockname}): the kernel's notifications of changes
     *         made through this socket carry it, so they can be told from others'
     */
    public int portId() {
        byte[] address = new byte[12];
        int[] length = {address.length};
        try {
            LibC.INSTANCE.getsockname(fd, address, length);
        } catch (LastErrorException e) {
            throw Errno.failed("getsockname(netlink)", e);
        }
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        return ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).getInt(4);
    }

    /**
     * Receives the next datagram into {@code buffer}, without allocating: the packet path's receive.
     *
     * @return the datagram's length
     */
    public int receive(byte[] buffer) {
        try {
            return (int) Direct.recv(fd, buffer, buffer.length, 0);
        } catch (LastErrorException e) {
            throw receiveFailed(e);
        }
    }

    /**
     * Receives up to {@code count} datagrams in one system call (recvmmsg), without allocating: the packet path's
     * receive of a burst. {@code messages} holds {@code count} {@code struct mmsghdr} that the caller pointed at its
     * buffers; the kernel writes each datagram's length into its {@code msg_len}.
     *
     * @param wait whether to wait (up to the socket's receive timeout) for the first datagram, or to take only what
     *             is already waiting
     * @return how many datagrams were received; 0 when {@code wait} is false and nothing is waiting
     */
    public int receive(ByteBuffer messages, int count, boolean wait) {
        if (!wait) {
            // No errno, so no exception when the queue is empty: the end of every batch.
            return Math.max(0, DirectNoWait.recvmmsg(fd, messages, count, MSG_DONTWAIT, null));
        }
        try {
            return Direct.recvmmsg(fd, messages, count, MSG_WAITFORONE, null);
        } catch (LastErrorException e) {
            throw receiveFailed(e);
        }
    }

    /** @return the address of the direct {@code buffer}'s first byte, for structures that point into it */
    public static long address(ByteBuffer buffer) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }

    /** @return why a waiting receive failed: no answer within the receive timeout (EAGAIN), or the kernel's error */
    private NetlinkException receiveFailed(LastErrorException e) {
        if (e.getErrorCode() == EAGAIN) {
            return new NetlinkException(EAGAIN, "recv(netlink): no answer from the kernel within "
                    + receiveTimeout.toMillis() + " ms");
        }
        return Errno.failed("recv(netlink)", e);
    }

    /** Sends the first {@code length} bytes of the direct {@code buffer}, without allocating or copying. */
    public void send(ByteBuffer buffer, int length) {
        try {
            Direct.send(fd, buffer, length, 0);
        } catch (LastErrorException e) {
            throw Errno.failed("send(netlink)", e);
        }
    }

    /** Sends the first {@code length} bytes of {@code buffer}, without allocating: the packet path's send. */
    public void send(byte[] buffer, int length) {
        try {
            Direct.send(fd, buffer, length, 0);
        } catch (LastErrorException e) {
            throw Errno.failed("send(netlink)", e);
        }
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }

    /** recv and send mapped directly (JNA direct mapping): arrays are passed pinned, nothing is allocated per call. */
    private static final class Direct {
        static {
            Native.register("c");
        }

        static native long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        static native long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        static native long send(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException;

        static native int recvmmsg(int fd, ByteBuffer messages, int count, int flags, Pointer timeout)
                throws LastErrorException;
    }

    /** recvmmsg without errno: a receive that finds nothing waiting returns -1 without an exception's allocation. */
    private static final class DirectNoWait {
        static {
            Native.register("c");
        }

        static native int recvmmsg(int fd, ByteBuffer messages, int count, int flags, Pointer timeout);
    }

    /** The C library calls a netlink socket needs; errors come back as {@link LastErrorException}. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int getpid();

        String strerror(int errnum);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int getsockname(int fd, byte[] address, int[] length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd);
    }
}
