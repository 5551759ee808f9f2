#!/usr/bin/env python3
"""Crash campaign: kill -9 the daemon under concurrent writers, again and again, and check that nothing acknowledged
is lost or recorded twice, and that the state the restarted daemon serves is the state a replay of its log gives.
With --signal term it is the drain campaign: SIGTERM under load must also end the daemon with exit code 0 within
its drain time.

Runs the daemon on the simulator (no privileges needed) from cli/target/slb.jar (build it first:
mvn -B -ntp -DskipTests install). Prints one line per cycle and a summary line in docs/reliability.md's table format.

    reliability/crash-campaign.py [--cycles 10] [--writers 8] [--signal kill|term] [--data-dir DIR]
"""
import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "cli", "target", "slb.jar")
PAGE = 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data_dir, port, log):
    process = subprocess.Popen(["java", "-jar", JAR, "run", "--backend", "sim", "--data-dir", data_dir,
                                "--listen", "127.0.0.1:%d" % port], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port, timeout=1) as answer:
                if answer.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if process.poll() is not None:
            raise SystemExit("the daemon exited at start (see %s)" % log.name)
        time.sleep(0.1)
    raise SystemExit("the daemon did not get ready within 60 s")


def request(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=10) as answer:
        return answer.status, answer.read()


def writer(port, cycle, index, acked, stop):
    n = 0
    while not stop.is_set():
        n += 1
        name = "c%d-w%d-%d" % (cycle, index, n)
        # Unique across writers and cycles (up to 250 of each): a VIP address is held by one VIP only.
        address = "%d.%d.%d.%d/32" % (10 + index, cycle % 250, (n // 250) % 250, n % 250)
        try:
            status, _ = request(port, "PUT", "/v1/vips/" + name, {"address": address})
            if status in (200, 201):
                acked.append(name)
        except urllib.error.HTTPError as refused:
            raise SystemExit("writer %d: PUT /v1/vips/%s refused %d: %s" % (index, name, refused.code,
                                                                              refused.read()[:200]))
        except (urllib.error.URLError, ConnectionError, OSError, socket.timeout):
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--signal", choices=["kill", "term"], default="kill")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit("%s is missing: build it first (mvn -B -ntp -DskipTests install)" % JAR)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="slb-crash-")
    log = open(os.path.join(os.path.dirname(data_dir.rstrip("/")), os.path.basename(data_dir.rstrip("/")) + ".log"),
               "w")
    port = free_port()
    random.seed(20261206)
    acked_total = lost_total = duplicated_total = mismatched = unclean = 0
    process = start(data_dir, port, log)
    request(port, "PUT", "/v1/trenches/trench-a", {})
    for cycle in range(1, args.cycles + 1):
        acked, stop = [], threading.Event()
        threads = [threading.Thread(target=writer, args=(port, cycle, i, acked, stop)) for i in range(args.writers)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.5, 2.0))
        if args.signal == "kill":
            process.send_signal(signal.SIGKILL)
            process.wait()
        else:
            began = time.time()
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
            if code != 0:
                unclean += 1
                print("cycle %d: SIGTERM ended the daemon with exit code %d after %.1f s" % (
                    cycle, code, time.time() - began), flush=True)
        stop.set()
        for thread in threads:
            thread.join()
        process = start(data_dir, port, log)
        _, body = request(port, "GET", "/v1/vips")
        served_vips = {vip["name"]: vip["address"] for vip in json.loads(body)}
        held = set(served_vips)
        lost = [name for name in acked if name not in held]
        defined, after = [], 0
        while True:
            _, page = request(port, "GET", "/v1/events?after=%d&limit=%d" % (after, PAGE))
            page = json.loads(page)
            defined += [e["event"].get("name") for e in page if e["event"].get("type") == "VipDefined"]
            if len(page) < PAGE:
                break
            after = page[-1]["sequence"]
        duplicated = len(defined) - len(set(defined))
        # The state served against the state a replay of the log gives (replay reads beside the daemon).
        _, status = request(port, "GET", "/v1/status")
        replayed = json.loads(subprocess.run(["java", "-jar", JAR, "replay", "--data-dir", data_dir, "-o", "json"],
                                             capture_output=True, text=True, check=True).stdout)
        same = (served_vips == {vip["name"]: vip["address"] for vip in replayed["vips"]}
                and json.loads(status)["sequence"] == replayed["sequence"])
        acked_total += len(acked)
        lost_total += len(lost)
        duplicated_total += duplicated
        mismatched += 0 if same else 1
        if not acked:
            mismatched += 1
            print("cycle %d: nothing was acknowledged (the writers failed: see above)" % cycle, flush=True)
        print("cycle %d: %d acknowledged, %d lost, %d duplicated, served state %s replay" % (
            cycle, len(acked), len(lost), duplicated, "=" if same else "!="), flush=True)
    process.terminate()
    process.wait()
    print("| %s under %d writers, simulator | %d cycles | %d acknowledged, %d lost, %d duplicated, served = replay"
          " in %d of %d%s |" % ("kill -9" if args.signal == "kill" else "SIGTERM", args.writers, args.cycles,
                                acked_total, lost_total, duplicated_total, args.cycles - mismatched, args.cycles,
                                "" if args.signal == "kill" else ", exit code 0 in %d of %d" % (
                                    args.cycles - unclean, args.cycles)))
    return 0 if lost_total == 0 and duplicated_total == 0 and mismatched == 0 and unclean == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
