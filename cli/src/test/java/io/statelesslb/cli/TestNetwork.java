package io.statelesslb.cli;

import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The namespaces a topology made and the servers it runs in them, closed together: the processes left in the
 * namespaces first, then the servers, then the namespaces, the last made first.
 */
final class TestNetwork implements AutoCloseable {

    private final List<TestNamespace> namespaces = new ArrayList<>();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    /**
     * Builds a topology with {@code wire}, or closes what it made so far and passes the failure on (a skipped test's
     * assumption, too).
     *
     * @return {@code topology}, wired
     */
    static <T extends AutoCloseable> T build(T topology, Consumer<T> wire) {
        try {
            wire.accept(topology);
            return topology;
        } catch (RuntimeException e) {
            try {
                topology.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** @return a new namespace named from {@code prefix}, deleted with the others */
    TestNamespace namespace(String prefix) {
        TestNamespace namespace = TestNamespace.create(prefix);
        namespaces.add(namespace);
        return namespace;
    }

    /** Closes {@code server} (a socket of a namespace's) before the namespaces go. */
    void keep(AutoCloseable server) {
        servers.add(server);
    }

    @Override
    public void close() {
        // A process left in a namespace (a BIRD) would keep it alive after its name is gone.
        for (TestNamespace namespace : namespaces) {
            for (String pid : namespace.pids()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                // Closing a server socket of a namespace about to go.
            }
        }
        RuntimeException failed = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                namespaces.get(i).close();
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
