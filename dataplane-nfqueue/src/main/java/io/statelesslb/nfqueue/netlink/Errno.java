package io.statelesslb.nfqueue.netlink;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The C library's words for an errno, as {@code strerror} gives them (the kernel tools print these). */
final class Errno {

    private Errno() {
    }

    static String describe(int errno) {
        try {
            return LibC.INSTANCE.strerror(errno);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "errno " + errno;
        }
    }

    /** The one libc call this needs. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        String strerror(int errnum);
    }
}
