package io.statelesslb.nfqueue.netlink;

import com.sun.jna.LastErrorException;

/** The C library's words for an errno, as {@code strerror} gives them (the kernel tools print these). */
final class Errno {

    private Errno() {
    }

    static String describe(int errno) {
        try {
            return JnaNetlinkSocket.LibC.INSTANCE.strerror(errno);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "errno " + errno;
        }
    }

    /** @return the exception for a C library call that failed: {@code CALL: WORDS}, with the errno */
    static NetlinkException failed(String call, LastErrorException e) {
        return new NetlinkException(e.getErrorCode(), call + ": " + describe(e.getErrorCode()));
    }
}
