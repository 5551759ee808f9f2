#!/usr/bin/env python3
"""Crash campaign: kill -9 the daemon under concurrent writers, again and again, and check that nothing acknowledged
is lost or recorded twice, and that the state the restarted daemon serves is the state a replay of its log gives.
With --signal term it is the drain campaign: SIGTERM under load must also end the daemon with exit code 0 within
its drain time. With --backend kernel the daemon serves a network namespace of the campaign's own (root; the
namespace is removed at the end), and after each restart the kernel must hold exactly what the log says: no
operation left between what the daemon reads back and its plan, and one nf_tables set element per VIP.

Runs the daemon from cli/target/slb.jar (build it first: mvn -B -ntp -DskipTests install). Prints one line per
cycle and, last, the campaign's row of docs/reliability.md's table.

    reliability/crash-campaign.py [--cycles 10] [--writers 8] [--signal kill|term] [--backend sim|kernel]
"""
import argparse
import json
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error

import daemon

PAGE = 1000


def writer(slb, cycle, index, acked, stop):
    n = 0
    while not stop.is_set():
        n += 1
        name = "c%d-w%d-%d" % (cycle, index, n)
        # Unique across writers and cycles (up to 250 of each): a VIP address is held by one VIP only.
        address = "%d.%d.%d.%d/32" % (20 + index, cycle % 250, (n // 250) % 250, n % 250)
        try:
            status, _ = slb.call("PUT", "/v1/vips/" + name, {"address": address}, timeout=10)
            if status in (200, 201):
                acked.append(name)
        except urllib.error.HTTPError as refused:
            raise SystemExit("writer %d: PUT /v1/vips/%s refused %d: %s" % (index, name, refused.code,
                                                                              refused.read()[:200]))
        except (urllib.error.URLError, ConnectionError, OSError, socket.timeout):
            return


def recorded_vip_names(slb):
    defined, after = [], 0
    while True:
        _, page = slb.call("GET", "/v1/events?after=%d&limit=%d" % (after, PAGE))
        defined += [e["event"].get("name") for e in page if e["event"].get("type") == "VipDefined"]
        if len(page) < PAGE:
            return defined
        after = page[-1]["sequence"]


def kernel_differences(slb, namespace, vips):
    """@return what the kernel holds that the log does not say (empty when they agree), after up to 15 s."""
    deadline = time.time() + 15
    while True:
        problems = []
        _, diff = slb.call("GET", "/v1/diff")
        if diff["operations"]:
            problems.append("%d operations between the kernel and the plan (first: %s)" % (
                len(diff["operations"]), diff["operations"][0]))
        elements = [entry for item in namespace.nft_json("list", "set", "inet", "meridio-nfqlb", "ipv4-vips")
                    if "set" in item for entry in item["set"].get("elem", [])]
        if len(elements) != len(vips):
            problems.append("%d VIP set elements for %d VIPs" % (len(elements), len(vips)))
        if not problems or time.time() > deadline:
            return problems
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--signal", choices=["kill", "term"], default="kill")
    parser.add_argument("--backend", choices=["sim", "kernel"], default="sim")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    daemon.require_jar()
    if args.backend == "kernel" and daemon.kernel_unavailable():
        raise SystemExit("the kernel backend cannot run here: " + daemon.kernel_unavailable())
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="slb-crash-")
    log = open(data_dir.rstrip("/") + ".log", "w")
    namespace = daemon.Namespace("slbcrash") if args.backend == "kernel" else None
    slb = daemon.Daemon(data_dir, log, args.backend, namespace.name if namespace else None)
    random.seed(20261206)
    acked_total = lost_total = duplicated_total = mismatched = unclean = drifted = 0
    try:
        slb.start()
        slb.call("PUT", "/v1/trenches/trench-a", {})
        for cycle in range(1, args.cycles + 1):
            acked, stop = [], threading.Event()
            threads = [threading.Thread(target=writer, args=(slb, cycle, i, acked, stop))
                       for i in range(args.writers)]
            for thread in threads:
                thread.start()
            time.sleep(random.uniform(0.5, 2.0))
            if args.signal == "kill":
                slb.process.send_signal(signal.SIGKILL)
                slb.process.wait()
            else:
                began = time.time()
                slb.process.send_signal(signal.SIGTERM)
                try:
                    code = slb.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    slb.process.kill()
                    code = slb.process.wait()
                if code != 0:
                    unclean += 1
                    print("cycle %d: SIGTERM ended the daemon with exit code %d after %.1f s" % (
                        cycle, code, time.time() - began), flush=True)
            stop.set()
            for thread in threads:
                thread.join()
            slb.start()
            _, vips = slb.call("GET", "/v1/vips")
            served = {vip["name"]: vip["address"] for vip in vips}
            lost = [name for name in acked if name not in served]
            defined = recorded_vip_names(slb)
            duplicated = len(defined) - len(set(defined))
            # The state served against the state a replay of the log gives (replay reads beside the daemon).
            _, status = slb.call("GET", "/v1/status")
            replayed = json_of(["java", "-jar", daemon.JAR, "replay", "--data-dir", data_dir, "-o", "json"])
            same = (served == {vip["name"]: vip["address"] for vip in replayed["vips"]}
                    and status["sequence"] == replayed["sequence"])
            problems = kernel_differences(slb, namespace, served) if namespace else []
            acked_total += len(acked)
            lost_total += len(lost)
            duplicated_total += duplicated
            mismatched += 0 if same else 1
            drifted += 1 if problems else 0
            if not acked:
                mismatched += 1
                print("cycle %d: nothing was acknowledged (the writers failed: see above)" % cycle, flush=True)
            print("cycle %d: %d acknowledged, %d lost, %d duplicated, served state %s replay%s" % (
                cycle, len(acked), len(lost), duplicated, "=" if same else "!=",
                "" if not namespace else "; kernel " + ("= log" if not problems else "!= log: " + "; ".join(
                    problems))), flush=True)
    finally:
        slb.stop()
        if namespace:
            namespace.delete()
    kill = args.signal == "kill"
    where = "simulator" if args.backend == "sim" else "kernel backend in a network namespace"
    print("| %s: %s under concurrent writers, %s | `reliability/crash-campaign.py --cycles %d --writers %d%s%s` |"
          " %d %s at a random 0.5–2 s, %d writers | %d acknowledged, %d lost, %d duplicated; served = replay in %d of"
          " %d%s%s |" % (
              "crash" if kill else "drain", "kill -9" if kill else "SIGTERM", where, args.cycles, args.writers,
              "" if kill else " --signal term", "" if args.backend == "sim" else " --backend kernel", args.cycles,
              "kill -9" if kill else "SIGTERM", args.writers, acked_total, lost_total, duplicated_total,
              args.cycles - mismatched, args.cycles,
              "" if kill else "; exit code 0 in %d of %d" % (args.cycles - unclean, args.cycles),
              "" if not namespace else "; the kernel held what the log says after %d of %d restarts" % (
                  args.cycles - drifted, args.cycles)))
    return 0 if lost_total == duplicated_total == mismatched == unclean == drifted == 0 else 1


def json_of(command):
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


if __name__ == "__main__":
    sys.exit(main())
