#!/usr/bin/env python3
"""Every reliability campaign, run and reported as the table of docs/reliability.md.

The campaigns that drive a running daemon are the scripts beside this one (crash, drain, load, watch; the kernel
backend's crash campaign when run as root with ip and nft); the storage, HTTP and input campaigns are test classes,
run by Maven, whose reports give the result (a test that prints a "campaign:" line gives its figures). Prints the
table; --write puts it into docs/reliability.md. Exits non-zero when any campaign fails.

    reliability/campaigns.py            the full sizes (some 15 minutes on 2 cores)
    reliability/campaigns.py --short    CI's sizes (some 4 minutes)
    reliability/campaigns.py --reports  take the test campaigns from the reports of a `mvn verify` just run
"""
import argparse
import datetime
import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import daemon

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(daemon.ROOT, "docs", "reliability.md")
BEGIN, END = "<!-- campaigns:begin -->", "<!-- campaigns:end -->"
HEADER = "| campaign | how to rerun | size | result |\n| --- | --- | --- | --- |"

# (script, full arguments, short arguments, needs the kernel)
SCRIPTS = {
    "crash": ("crash-campaign.py", ["--cycles", "40", "--writers", "8"], ["--cycles", "5", "--writers", "8"], False),
    "crash-kernel": ("crash-campaign.py", ["--cycles", "20", "--writers", "8", "--backend", "kernel"],
                     ["--cycles", "5", "--writers", "8", "--backend", "kernel"], True),
    "drain": ("crash-campaign.py", ["--cycles", "10", "--writers", "16", "--signal", "term"],
              ["--cycles", "5", "--writers", "16", "--signal", "term"], False),
    "load": ("load-campaign.py", ["--events", "10000", "--seconds", "120"], ["--events", "1000", "--seconds", "20"],
             False),
    "watch": ("watch-campaign.py", ["--events", "50000", "--watchers", "40", "--silent", "5"],
              ["--events", "3000", "--watchers", "10", "--silent", "2"], False),
}

# (campaign, test classes, module, size, what the tests assert)
TESTS = [
    ("crash of the log writer process mid-append", ["EventLogCrashTest"], "eventlog", "kill -9 of a writing JVM",
     "every acknowledged record is read back; the torn tail, never acknowledged, is truncated"),
    ("storage: every single-bit flip of a segment", ["EventLogRecoveryTest"], "eventlog",
     "every bit of a 10-record segment",
     "a flip in the last record is a torn tail, truncated; any other is named corruption (file and offset)"),
    ("storage: missing middle segment, earlier segment cut short, damaged segment header, intact record that does"
     " not decode", ["RepairTest"], "eventlog", "120 records in 1 KiB segments",
     "refused with the command that repairs; `slb recover --repair` leaves a log the next two starts find clean and"
     " that takes appends in sequence; a damaged header keeps its records"),
    ("storage: last segment lost", ["RepairTest", "RecoverCommandTest"], "eventlog, cli", "—",
     "refused to start, naming the missing count, until `slb recover --accept-loss`"),
    ("storage: snapshot of a discarded history", ["EventStoreTest"], "controller",
     "a snapshot at 15 of history A beside history B of 33 events",
     "never used; removed before anything is appended; the state is B's replay"),
    ("storage: a watcher's history read from a log being written", ["LogCursorTest", "EventFeedTest"],
     "eventlog, controller", "300 records in 1 KiB segments; 1,030 events, 5 in memory",
     "read a page at a time from any sequence, across segments, never beyond what is on disk; damage named with"
     " file and offset; every event once and in order; a watcher too far behind ended at once"),
    ("HTTP: one kept-alive connection", ["KeepAliveTest"], "server",
     "2,000 mixed requests (GET, POST with body, DELETE without)", "every one answered in order"),
    ("HTTP: cross-site writes, DNS rebinding", ["SameOriginTest"], "server",
     "text/plain POST, foreign Origin, foreign Host, another port",
     "415 / 403, nothing recorded; the CLI's own requests pass"),
    ("HTTP: idle sockets, slowloris, connection floods", ["ConnectionLimitsTest"], "server", "short limits",
     "idle and byte-at-a-time connections closed; beyond the limit refused, the others served"),
    ("HTTP: TLS", ["TlsTest"], "server", "a self-signed certificate made by openssl",
     "HTTPS answers; the same port gives no cleartext answer; a bad key is refused in the operator's words"),
    ("input: API fuzzing", ["ApiFuzzTest"], "server",
     "mangled bodies of six requests (a character replaced, dropped or doubled, a value of another type, a field"
     " left out)", "never a 5xx, and a refused request records nothing"),
    ("input: YAML fuzzing", ["ConfigFuzzTest"], "config", "mangled copies of the seed's configuration",
     "each read, or refused with located errors; never a crash"),
    ("input: coercion, nulls, YAML aliases and duplicate keys, full disk", ["StrictInputTest", "ConfigurationTest"],
     "server, config", "—", "400 / 422 naming the field; YAML refused with its line; 507 without a stack trace"),
]

ORDER = ["crash", "crash-kernel", "drain", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "load", "watch"]


def run_script(key, short):
    script, full, small, kernel = SCRIPTS[key]
    arguments = small if short else full
    command = "`reliability/%s %s`" % (script, " ".join(arguments))
    if kernel and daemon.kernel_unavailable():
        return None, "| crash: kill -9 on the kernel backend | %s | — | not run here: %s |" % (
            command, daemon.kernel_unavailable())
    print("== %s %s" % (script, " ".join(arguments)), flush=True)
    process = subprocess.run([sys.executable, os.path.join(HERE, script)] + arguments, capture_output=True,
                             text=True)
    sys.stdout.write(process.stdout[-3000:])
    sys.stdout.write(process.stderr[-2000:])
    rows = [line for line in process.stdout.splitlines() if line.startswith("| ")]
    row = rows[-1] if rows else "| %s | %s | — | FAILED before it could report (exit code %d) |" % (
        key, command, process.returncode)
    return process.returncode == 0, row


def run_tests(fuzz_cases):
    classes = sorted({name for _, names, _, _, _ in TESTS for name in names})
    print("== mvn verify -Dtest=%s" % ",".join(classes), flush=True)
    process = subprocess.run(["mvn", "-B", "-ntp", "-q", "verify", "-Dtest=" + ",".join(classes),
                              "-Dsurefire.failIfNoSpecifiedTests=false", "-Dslb.fuzz.cases=%d" % fuzz_cases],
                             cwd=daemon.ROOT, capture_output=True, text=True)
    if process.returncode != 0:
        sys.stdout.write(process.stdout[-4000:])


def test_row(index):
    campaign, names, module, size, asserted = TESTS[index]
    ran = failed = 0
    figures = []
    for name in names:
        reports = glob.glob(os.path.join(daemon.ROOT, "*", "target", "surefire-reports", "TEST-*.%s.xml" % name))
        if not reports:
            return False, "| %s | %s | %s | FAILED: no report of %s (were the tests run?) |" % (
                campaign, rerun(names, module), size, name)
        suite = ElementTree.parse(reports[0]).getroot()
        ran += int(suite.get("tests"))
        failed += int(suite.get("failures")) + int(suite.get("errors"))
        output = reports[0].replace("TEST-", "").replace(".xml", "-output.txt")
        if os.path.exists(output):
            with open(output) as text:
                figures += [line.split("campaign: ", 1)[1].strip() for line in text if line.startswith("campaign: ")]
    result = "; ".join(figures) + ": " + asserted if figures else asserted
    verdict = ("%d test%s passed" % (ran, "" if ran == 1 else "s")) if not failed else "FAILED: %d of %d tests" % (
        failed, ran)
    return failed == 0, "| %s | %s | %s | %s (%s) |" % (campaign, rerun(names, module), size, result, verdict)


def rerun(names, module):
    return "`mvn verify -Dtest=%s` (%s)" % (",".join(names), module)


def write_doc(table, short):
    with open(DOC) as doc:
        text = doc.read()
    if BEGIN not in text or END not in text:
        raise SystemExit("%s has no %s ... %s markers" % (DOC, BEGIN, END))
    stamp = "Produced by `reliability/campaigns.py%s` on %s." % (" --short" if short else "",
                                                                datetime.date.today().isoformat())
    body = "%s\n%s\n\n%s\n%s" % (BEGIN, stamp, table, END)
    text = re.sub(re.escape(BEGIN) + ".*" + re.escape(END), lambda _: body, text, flags=re.S)
    with open(DOC, "w") as doc:
        doc.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="CI's sizes")
    parser.add_argument("--reports", action="store_true",
                        help="take the test campaigns from existing reports (after mvn verify) instead of running them")
    parser.add_argument("--write", action="store_true", help="put the table into docs/reliability.md")
    parser.add_argument("--only", help="run only these campaigns (comma-separated: crash, crash-kernel, drain, load,"
                                       " watch, tests)")
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else set(SCRIPTS) | {"tests"}
    if "tests" in wanted and not args.reports:
        run_tests(200 if args.short else 2000)
    daemon.require_jar()
    rows, failures = [], []
    for item in ORDER:
        if isinstance(item, int):
            if "tests" not in wanted:
                continue
            passed, row = test_row(item)
        else:
            if item not in wanted:
                continue
            passed, row = run_script(item, args.short)
        rows.append(row)
        if passed is False:
            failures.append(row.split(" | ")[0].lstrip("| "))
    table = HEADER + "\n" + "\n".join(rows)
    print("\n" + table)
    if args.write:
        write_doc(table, args.short)
    if failures:
        print("\nfailed: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
