#!/usr/bin/env python3
"""Load campaign: 1,000 targets over 10 streams, then a churn of enables and disables at a steady rate, while the
daemon's resident memory, threads and open files are sampled: they must stay flat, and every request is timed.

Runs the daemon on the simulator from cli/target/slb.jar (build it first: mvn -B -ntp -DskipTests install). Prints
the latency percentiles and the samples, and a summary line in docs/reliability.md's table format.

    reliability/load-campaign.py [--events 10000] [--seconds 120] [--clients 8]
"""
import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "cli", "target", "slb.jar")
STREAMS = 10
TARGETS = 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return answer.status


def sample(pid):
    with open("/proc/%d/status" % pid) as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    rss_mib = int(fields["VmRSS"].split()[0]) / 1024
    threads = int(fields["Threads"])
    fds = len(os.listdir("/proc/%d/fd" % pid))
    return rss_mib, threads, fds


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit("%s is missing: build it first (mvn -B -ntp -DskipTests install)" % JAR)
    data_dir = tempfile.mkdtemp(prefix="slb-load-")
    port = free_port()
    log = open(data_dir.rstrip("/") + ".log", "w")
    daemon = subprocess.Popen(["java", "-jar", JAR, "run", "--backend", "sim", "--data-dir", data_dir, "--listen",
                               "127.0.0.1:%d" % port], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if call(port, "GET", "/readyz") == 200:
                    break
            except OSError:
                if time.time() > deadline or daemon.poll() is not None:
                    raise SystemExit("the daemon did not start (see %s)" % log.name)
                time.sleep(0.2)
        call(port, "PUT", "/v1/trenches/trench-load", {})
        for k in range(STREAMS):
            call(port, "PUT", "/v1/conduits/c%d" % k, {"interfacePrefix": "c%d-" % k})
            call(port, "PUT", "/v1/streams/s%d" % k, {"conduit": "c%d" % k, "maxTargets": TARGETS})
            call(port, "PUT", "/v1/vips/v%d" % k, {"address": "30.0.%d.1/32" % k})
            call(port, "PUT", "/v1/flows/f%d" % k, {"stream": "s%d" % k, "priority": 1, "protocols": ["tcp"],
                                                     "destinationPorts": ["80"], "vips": ["v%d" % k]})
            call(port, "POST", "/v1/events", {"type": "InterfaceUp", "name": "c%d-x" % k,
                                              "addresses": ["10.%d.0.254/24" % k], "mtu": 1500})
            for i in range(1, TARGETS + 1):
                call(port, "POST", "/v1/targets", {"stream": "s%d" % k, "identifier": i,
                                                   "ips": ["10.%d.0.%d" % (k, i)]})
        samples = [(0.0,) + sample(daemon.pid)]
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
                    call(port, "POST", "/v1/targets/s%d/%d/%s" % (k, i, verb))
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
            time.sleep(5)
            samples.append((time.time() - began,) + sample(daemon.pid))
        for thread in threads:
            thread.join()
        elapsed = time.time() - began
        samples.append((elapsed,) + sample(daemon.pid))
        for at, rss, threads_now, fds in samples:
            print("t=%5.1fs  rss %6.1f MiB  threads %3d  fds %3d" % (at, rss, threads_now, fds))
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        print("%d events in %.1f s (%.0f/s), %d errors; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
            len(latencies), elapsed, len(latencies) / elapsed, len(errors), p50, p99, max(latencies) * 1000))
        rss = [s[1] for s in samples[1:]]
        print("| load: %d targets over %d streams, simulator | `reliability/load-campaign.py --events %d --seconds %d`"
              " | %d events in %.0f s | p50 %.1f ms, p99 %.1f ms; RSS %.0f–%.0f MiB, threads %d–%d, fds %d–%d;"
              " %d errors |" % (STREAMS * TARGETS, STREAMS, args.events, args.seconds, len(latencies), elapsed, p50,
                                p99, min(rss), max(rss), min(s[2] for s in samples[1:]),
                                max(s[2] for s in samples[1:]), min(s[3] for s in samples[1:]),
                                max(s[3] for s in samples[1:]), len(errors)))
        # Flat: no thread or descriptor leaks over the run (memory is the JVM's to size; it is reported).
        grown = (max(s[2] for s in samples[1:]) - samples[0][2] > 5) or (max(s[3] for s in samples[1:])
                                                                         - samples[0][3] > 10)
        if grown:
            print("threads or open files grew during the run: a leak")
        return 0 if not errors and not grown else 1
    finally:
        daemon.terminate()
        daemon.wait()


if __name__ == "__main__":
    sys.exit(main())
