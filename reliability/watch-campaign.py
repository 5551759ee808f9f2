#!/usr/bin/env python3
"""Watch campaign: many watchers replay a long log from its beginning while writers go on, and a few watchers
never read. The daemon must stay responsive (the health check's latency is sampled throughout), its memory must
not grow with the log, every reading watcher must get every event once and in order, writes must not slow down
with the watchers, and each watcher that never reads must be ended once it is more than 10,000 events behind
(docs/operations.md), while the readers stay connected.

Runs the daemon on the simulator from cli/target/slb.jar (build it first: mvn -B -ntp -DskipTests install). Prints
what it measures and, last, the campaign's row of docs/reliability.md's table.

    reliability/watch-campaign.py [--events 50000] [--watchers 40] [--silent 5] [--writers 8]
"""
import argparse
import multiprocessing
import re
import selectors
import socket
import sys
import tempfile
import threading
import time
import urllib.request

import daemon

BEHIND = 10_000  # how far a watcher may fall behind before it is ended (docs/operations.md)
ID = re.compile(rb"^id: (\d+)$", re.MULTILINE)


def prepare(slb, writers):
    """One stream with a target per writer: the events are enables and disables, so the state stays small and
    what is measured is the watchers, not the planning of an ever larger state."""
    slb.call("PUT", "/v1/trenches/trench-watch", {})
    slb.call("PUT", "/v1/conduits/c0", {"interfacePrefix": "c0-"})
    slb.call("PUT", "/v1/streams/s0", {"conduit": "c0", "maxTargets": 100})
    for i in range(1, writers + 1):
        slb.call("POST", "/v1/targets", {"stream": "s0", "identifier": i, "ips": ["10.0.0.%d" % i]})


def write(slb, count, writers):
    """Disables and enables each writer's target in turn, count events in all; @return events per second."""
    each = count // writers - count // writers % 2  # even: every target ends enabled, as it began

    def run(index):
        for n in range(each):
            slb.call("POST", "/v1/targets/s0/%d/%s" % (index + 1, "disable" if n % 2 == 0 else "enable"))
    threads = [threading.Thread(target=run, args=(i,)) for i in range(writers)]
    began = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return each * writers / (time.time() - began)


def open_watch(port, receive_buffer=None):
    connection = socket.socket()
    if receive_buffer:
        # A small window, so that what the watcher does not read stays in the daemon, not in socket buffers.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    connection.connect(("127.0.0.1", port))
    connection.sendall(b"GET /v1/events/watch?after=0 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    return connection


class Readers(multiprocessing.Process):
    """Watchers that read everything, all in one process of their own (a selector over their connections), so that
    the campaign's parsing takes at most one core from the daemon, the writers and the probes; each checks that the
    sequences come once each and in order."""

    def __init__(self, port, count):
        super().__init__(daemon=True)
        self.port, self.count = port, count
        self._last = multiprocessing.Array("q", count)
        self._out_of_order = multiprocessing.Array("q", count)
        self._ended = multiprocessing.Array("b", count)

    def last(self, i):
        return self._last[i]

    def out_of_order(self, i):
        return self._out_of_order[i]

    def ended(self, i):
        return self._ended[i] == 1

    def run(self):
        selector = selectors.DefaultSelector()
        tails, lasts = [b""] * self.count, [0] * self.count
        for i in range(self.count):
            selector.register(open_watch(self.port), selectors.EVENT_READ, i)
        while selector.get_map():
            for key, _ in selector.select():
                i, connection = key.data, key.fileobj
                chunk = connection.recv(1 << 16)
                text = tails[i] + chunk
                cut = text.rfind(b"\n\n")
                whole, tails[i] = (text[:cut], text[cut:]) if cut >= 0 else (b"", text)
                ended = not chunk
                for match in ID.finditer(whole):
                    sequence = int(match.group(1))
                    if sequence == 0:
                        ended = True  # an error frame: ended by the daemon
                        break
                    if sequence != lasts[i] + 1:
                        self._out_of_order[i] += 1
                    lasts[i] = sequence
                self._last[i] = lasts[i]
                if ended:
                    self._ended[i] = 1
                    selector.unregister(connection)

    def wait_for(self, i, sequence, timeout):
        deadline = time.time() + timeout
        while self.last(i) < sequence and time.time() < deadline and not self.ended(i):
            time.sleep(0.05)
        return self.last(i) >= sequence


def probe(port, stop, latencies):
    """Times /healthz every 50 ms until told to stop (in a process of its own, as the readers)."""
    while not stop.is_set():
        began = time.time()
        with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=30) as answer:
            answer.read()
        latencies.append(time.time() - began)
        time.sleep(0.05)


def watchers_connected(slb):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % slb.port, timeout=10) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith("slb_events_watchers"):
                return int(float(line.split()[-1]))
    return -1


def closed_by_daemon(connection):
    """@return whether reading what the daemon sent ends in the connection's end, within 5 s."""
    connection.settimeout(5)
    try:
        while connection.recv(1 << 16):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=50000)
    parser.add_argument("--watchers", type=int, default=40)
    parser.add_argument("--silent", type=int, default=5)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--heap", default="256m", help="the daemon's maximum heap (java -Xmx)")
    args = parser.parse_args()
    daemon.require_jar()
    data_dir = tempfile.mkdtemp(prefix="slb-watch-")
    slb = daemon.Daemon(data_dir, open(data_dir.rstrip("/") + ".log", "w"), java_options=["-Xmx" + args.heap])
    health, problems = multiprocessing.Manager().list(), []
    try:
        slb.start()
        prepare(slb, args.writers)
        alone = write(slb, args.events, args.writers)
        _, status = slb.call("GET", "/v1/status")
        end = status["sequence"]
        rss_before = slb.sample()[0]
        silent = [open_watch(slb.port, 4096) for _ in range(args.silent)]
        silent_since = time.time()
        stop_probing = multiprocessing.Event()
        prober = multiprocessing.Process(target=probe, args=(slb.port, stop_probing, health), daemon=True)
        prober.start()
        while not health:
            time.sleep(0.05)
        readers = Readers(slb.port, args.watchers)
        began = time.time()
        readers.start()
        every = range(args.watchers)
        samples = [slb.sample()]
        while not all(readers.last(i) >= end or readers.ended(i) for i in every) and time.time() - began < 600:
            samples.append(slb.sample())
            time.sleep(0.5)
        replayed = time.time() - began
        caught_up = sum(1 for i in every if readers.last(i) >= end)
        # Writes with every watcher connected: the silent ones fall more than BEHIND behind.
        more = BEHIND + max(5000, args.events // 5)
        more -= more % (2 * args.writers)
        together = write(slb, more, args.writers)
        samples.append(slb.sample())
        end2 = end + more
        following = sum(1 for i in every if readers.wait_for(i, end2, 60))
        stop_probing.set()
        prober.join()
        health = list(health)
        deadline = time.time() + 30
        connected = watchers_connected(slb)
        while connected != args.watchers and time.time() < deadline:
            time.sleep(0.5)
            connected = watchers_connected(slb)
        disordered = sum(readers.out_of_order(i) for i in every)
        # A connection whose writes make no progress for 30 s is closed: the silent ones, wherever they stopped.
        time.sleep(max(0.0, silent_since + 35 - time.time()))
        closed = sum(1 for connection in silent if closed_by_daemon(connection))
    finally:
        slb.stop()
    rss = [s[0] for s in samples]
    print("log of %d events written at %.0f/s with no watcher; %d watchers from sequence 0 caught up in %.1f s (%d of"
          " %d); /healthz p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d probes while watchers replayed and followed" % (
              end, alone, args.watchers, replayed, caught_up, args.watchers, daemon.percentile(health, 50) * 1000,
              daemon.percentile(health, 99) * 1000, max(health) * 1000, len(health)))
    print("RSS %.0f MiB before the watchers, %.0f–%.0f MiB while they replayed and followed" % (
        rss_before, min(rss), max(rss)))
    print("%d more events at %.0f/s with %d watchers connected; %d of %d readers followed to the end, %d out of"
          " order; watchers connected afterwards: %d (%d silent; %d of their connections closed by the daemon)" % (
              more, together, args.watchers + args.silent, following, args.watchers, disordered, connected,
              args.silent, closed))
    if caught_up != args.watchers or following != args.watchers:
        problems.append("%d of %d readers caught up, %d followed" % (caught_up, args.watchers, following))
    if disordered:
        problems.append("%d events out of order or twice" % disordered)
    if connected != args.watchers:
        problems.append("%d watchers still connected (expected: the %d readers)" % (connected, args.watchers))
    if closed != args.silent:
        problems.append("%d of the %d silent watchers' connections closed" % (closed, args.silent))
    if together < alone / 3:
        problems.append("writes slowed from %.0f/s to %.0f/s with the watchers" % (alone, together))
    for problem in problems:
        print("FAILED: " + problem)
    print("| watch: %d watchers replay a %d-event log from its start, then follow as %d clients write; %d watchers"
          " never read | `reliability/watch-campaign.py --events %d --watchers %d --silent %d` | %d + %d events |"
          " every reader got every event once, in order (%d of %d); `/healthz` p99 %.1f ms, max %.1f ms meanwhile;"
          " heap capped at %s: RSS %.0f MiB before, at most %.0f MiB during; writes %.0f/s alone, %.0f/s with %d"
          " watchers; the %d silent watchers were let go (%d behind, or 30 s without a write leaving), the readers"
          " kept%s |" % (
              args.watchers, args.events, args.writers, args.silent, args.events, args.watchers, args.silent, end,
              more, following, args.watchers, daemon.percentile(health, 99) * 1000, max(health) * 1000, args.heap,
              rss_before, max(rss), alone, together, args.watchers + args.silent, args.silent, BEHIND,
              "" if not problems else "; FAILED: " + "; ".join(problems)))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
