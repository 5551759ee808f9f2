#!/usr/bin/env python3
"""Load campaign: 1,000 targets over 10 streams, then a churn of enables and disables at a steady rate, while the
daemon's resident memory, threads and open files are sampled: they must stay flat, and every request is timed.

Runs the daemon on the simulator from cli/target/slb.jar (build it first: mvn -B -ntp -DskipTests install). Prints
the latency percentiles and the samples and, last, the campaign's row of docs/reliability.md's table.

    reliability/load-campaign.py [--events 10000] [--seconds 120] [--clients 8]
"""
import argparse
import random
import sys
import tempfile
import threading
import time

import daemon

STREAMS = 10
TARGETS = 100


def define(slb):
    slb.call("PUT", "/v1/trenches/trench-load", {})
    for k in range(STREAMS):
        slb.call("PUT", "/v1/conduits/c%d" % k, {"interfacePrefix": "c%d-" % k})
        slb.call("PUT", "/v1/streams/s%d" % k, {"conduit": "c%d" % k, "maxTargets": TARGETS})
        slb.call("PUT", "/v1/vips/v%d" % k, {"address": "30.0.%d.1/32" % k})
        slb.call("PUT", "/v1/flows/f%d" % k, {"stream": "s%d" % k, "priority": 1, "protocols": ["tcp"],
                                               "destinationPorts": ["80"], "vips": ["v%d" % k]})
        slb.call("POST", "/v1/events", {"type": "InterfaceUp", "name": "c%d-x" % k,
                                        "addresses": ["10.%d.0.254/24" % k], "mtu": 1500})
        for i in range(1, TARGETS + 1):
            slb.call("POST", "/v1/targets", {"stream": "s%d" % k, "identifier": i, "ips": ["10.%d.0.%d" % (k, i)]})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    daemon.require_jar()
    data_dir = tempfile.mkdtemp(prefix="slb-load-")
    slb = daemon.Daemon(data_dir, open(data_dir.rstrip("/") + ".log", "w"))
    try:
        slb.start()
        define(slb)
        samples = [(0.0,) + slb.sample()]
        latencies, errors = [], []
        lock = threading.Lock()
        per_client = args.events // args.clients
        interval = args.seconds / per_client

        def client(index):
            rng = random.Random(index)
            disabled = set()
            start = time.time()
            for n in range(per_client):
                k, i = rng.randrange(STREAMS), rng.randrange(1, TARGETS + 1)
                verb = "enable" if (k, i) in disabled else "disable"
                began = time.time()
                try:
                    slb.call("POST", "/v1/targets/s%d/%d/%s" % (k, i, verb))
                    disabled.symmetric_difference_update({(k, i)})
                except OSError as e:
                    with lock:
                        errors.append(str(e))
                with lock:
                    latencies.append(time.time() - began)
                pause = start + (n + 1) * interval - time.time()
                if pause > 0:
                    time.sleep(pause)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
        began = time.time()
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            time.sleep(0.1)
            if time.time() - began - samples[-1][0] >= 5:
                samples.append((time.time() - began,) + slb.sample())
        for thread in threads:
            thread.join()
        elapsed = time.time() - began
        samples.append((elapsed,) + slb.sample())
    finally:
        slb.stop()
    for at, rss, threads_now, fds in samples:
        print("t=%5.1fs  rss %6.1f MiB  threads %3d  fds %3d" % (at, rss, threads_now, fds))
    p50, p99 = daemon.percentile(latencies, 50) * 1000, daemon.percentile(latencies, 99) * 1000
    print("%d events in %.1f s (%.0f/s), %d errors; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
        len(latencies), elapsed, len(latencies) / elapsed, len(errors), p50, p99, max(latencies) * 1000))
    during = samples[1:]
    # Flat: no thread or descriptor leaks over the run (memory is the JVM's to size; it is reported).
    grown = (max(s[2] for s in during) - samples[0][2] > 5) or (max(s[3] for s in during) - samples[0][3] > 10)
    if grown:
        print("threads or open files grew during the run: a leak")
    print("| load: %d targets over %d streams, simulator, then enables and disables from %d clients at a steady rate"
          " | `reliability/load-campaign.py --events %d --seconds %d` | %d events in %.0f s | p50 %.1f ms, p99 %.1f"
          " ms, max %.1f ms; RSS %.0f–%.0f MiB, threads %d–%d, open files %d–%d over the run%s; %d errors |" % (
              STREAMS * TARGETS, STREAMS, args.clients, args.events, args.seconds, len(latencies), elapsed, p50, p99,
              max(latencies) * 1000, min(s[1] for s in during), max(s[1] for s in during), min(s[2] for s in during),
              max(s[2] for s in during), min(s[3] for s in during), max(s[3] for s in during),
              " (grew: a leak)" if grown else " (flat)", len(errors)))
    return 0 if not errors and not grown else 1


if __name__ == "__main__":
    sys.exit(main())
