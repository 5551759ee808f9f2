package io.statelesslb.nfqueue.netlink;

/**
 * The kernel refused a request (an {@code NLMSG_ERROR} with a negative errno), or a socket call failed. The message
 * reads as the kernel tools print it: {@code RTNETLINK answers: File exists}.
 */
public final class NetlinkException extends RuntimeException {

    /** errno of "File exists": the object is there already. */
    public static final int EEXIST = 17;
    /** errno of "No such file or directory": the object is not there. */
    public static final int ENOENT = 2;
    /** errno of "No such process": for routes and rules, the object is not there. */
    public static final int ESRCH = 3;

    private final int errno;

    public NetlinkException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** @return the errno (positive), or 0 when the failure was not the kernel's answer */
    public int errno() {
        return errno;
    }
}
