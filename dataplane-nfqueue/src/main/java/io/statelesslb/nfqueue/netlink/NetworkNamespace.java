package io.statelesslb.nfqueue.netlink;

import com.sun.jna.LastErrorException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs something in another network namespace (such as {@code /run/netns/NAME}, as {@code ip netns add} creates
 * them): sockets belong to the namespace they were created in, so whatever the action opens stays there. The action
 * runs on a short-lived thread that first enters the namespace ({@code setns}); needs CAP_SYS_ADMIN.
 */
public final class NetworkNamespace {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    private NetworkNamespace() {
    }

    /**
     * @param namespaceFile the namespace, or null for the caller's own (the action then runs on the calling thread)
     * @return what {@code action} returned, run inside the namespace of {@code namespaceFile}
     * @throws NetlinkException when the namespace cannot be entered
     */
    public static <T> T call(Path namespaceFile, Callable<T> action) {
        JnaNetlinkSocket.ensureAvailability();
        if (namespaceFile == null) {
            try {
                return action.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        FutureTask<T> task = new FutureTask<>(() -> {
            int ns;
            try {
                ns = JnaNetlinkSocket.LibC.INSTANCE.open(namespaceFile.toString(), O_RDONLY);
            } catch (LastErrorException e) {
                throw Errno.failed("open(" + namespaceFile + ")", e);
            }
            try {
                JnaNetlinkSocket.LibC.INSTANCE.setns(ns, CLONE_NEWNET);
            } catch (LastErrorException e) {
                throw Errno.failed("setns(" + namespaceFile + ")", e);
            } finally {
                JnaNetlinkSocket.LibC.INSTANCE.close(ns);
            }
            return action.call();
        });
        Thread thread = new Thread(task, "netns-" + namespaceFile.getFileName());
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while in " + namespaceFile, e);
        }
    }
}
