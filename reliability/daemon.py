"""The daemon under test, for the campaign scripts: started from cli/target/slb.jar on a free loopback port (on
the simulator, or on the kernel backend serving a network namespace of the campaign's own), its HTTP API, and
samples of its resident memory, threads and open files."""
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "cli", "target", "slb.jar")


def require_jar():
    if not os.path.exists(JAR):
        raise SystemExit("%s is missing: build it first (mvn -B -ntp -DskipTests install)" % JAR)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernel_unavailable():
    """Why the kernel backend cannot run here, or None when it can."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, nf_tables)"
    for tool, package in (("ip", "iproute2"), ("nft", "nftables")):
        if shutil.which(tool) is None:
            return "%s is not installed (apt-get install %s)" % (tool, package)
    return None


class Namespace:
    """A network namespace of the campaign's own, with loopback up and one conduit interface (a veth pair)."""

    def __init__(self, prefix):
        self.name = "%s%d" % (prefix, os.getpid())
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        for command in (["link", "set", "lo", "up"],
                        ["link", "add", "conduit-a-0", "type", "veth", "peer", "name", "target-a-0"],
                        ["addr", "add", "10.9.0.1/24", "dev", "conduit-a-0"],
                        ["link", "set", "conduit-a-0", "up"], ["link", "set", "target-a-0", "up"]):
            subprocess.run(["ip", "-n", self.name] + command, check=True)

    def nft_json(self, *args):
        out = subprocess.run(["ip", "netns", "exec", self.name, "nft", "-j"] + list(args), capture_output=True,
                             text=True, check=True).stdout
        return json.loads(out)["nftables"]

    def delete(self):
        subprocess.run(["ip", "netns", "del", self.name], check=False)


class Daemon:
    """`slb run` on a data directory; restartable on the same port and directory."""

    def __init__(self, data_dir, log, backend="sim", netns=None, java_options=()):
        self.data_dir, self.log, self.backend, self.netns = data_dir, log, backend, netns
        self.java_options = list(java_options)
        self.port = free_port()
        self.process = None

    def start(self, timeout=60):
        command = ["java"] + self.java_options + ["-jar", JAR, "run", "--backend", self.backend,
                                                  "--data-dir", self.data_dir, "--listen", "127.0.0.1:%d" % self.port]
        if self.netns:
            command += ["--netns", self.netns]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.call("GET", "/readyz", timeout=1)[0] == 200:
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.process.poll() is not None:
                raise SystemExit("the daemon exited at start (see %s)" % self.log.name)
            time.sleep(0.1)
        raise SystemExit("the daemon did not get ready within %d s (see %s)" % (timeout, self.log.name))

    def call(self, method, path, body=None, timeout=30):
        """@return (status, parsed JSON or None); raises urllib.error.HTTPError for 4xx and 5xx."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            text = answer.read()
            kind = answer.headers.get("Content-Type", "")
            return answer.status, json.loads(text) if text and "json" in kind else None

    def sample(self):
        """@return (resident MiB, threads, open files) of the daemon's process."""
        with open("/proc/%d/status" % self.process.pid) as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"]),
                len(os.listdir("/proc/%d/fd" % self.process.pid)))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]
