"""Measures the osprey daemon from the outside, the way systemd and Prometheus see it.

Prints one table; every figure is measured in this run. Targets (issue 2): READY < 150 ms,
reload < 20 ms, idle RSS < 25 MB, >= 40k req/s on /healthz.
"""
import os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

BINARY = sys.argv[1]
RUNS = 15
RELOADS = 30


class Notify:
    """systemd's side of sd_notify: a datagram socket."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)

    def wait(self, predicate, timeout=10.0):
        self.sock.settimeout(timeout)
        while True:
            data = self.sock.recv(4096).decode()
            if predicate(data):
                return time.monotonic()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_config(directory, port, level="info"):
    with open(os.path.join(directory, "osprey.toml"), "w") as f:
        f.write(f'[daemon]\nstate_dir = "{directory}/state"\n[log]\nlevel = "{level}"\nformat = "text"\n'
                f'[http]\nlisten = "127.0.0.1:{port}"\n[control]\nsocket = "{directory}/control.sock"\n')


def start(directory, notify):
    env = dict(os.environ, NOTIFY_SOCKET=notify.path)
    env.pop("WATCHDOG_USEC", None)
    return subprocess.Popen([BINARY, "run", "--config", os.path.join(directory, "osprey.toml")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def wrk(port, path):
    out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "--latency", f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    return rps, float(p99.group(1)) * scale, errors.group(0) if errors else "none"


def main():
    rows = []
    directory = tempfile.mkdtemp(prefix="osprey-bench-")
    try:
        port = free_port()
        write_config(directory, port)
        notify = Notify(directory)

        # Cold start → READY (a fresh database the first time, then the existing one).
        ready_ms = []
        for _ in range(RUNS):
            t0 = time.monotonic()
            daemon = start(directory, notify)
            t1 = notify.wait(lambda m: "READY=1" in m)
            ready_ms.append((t1 - t0) * 1000)
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(10)
        rows.append(("start → READY=1 (ms)", f"p50 {statistics.median(ready_ms):.1f}, max {max(ready_ms):.1f}", "< 150"))

        daemon = start(directory, notify)
        notify.wait(lambda m: "READY=1" in m)

        # SIGHUP → READY=1, alternating a live key so every reload applies a change.
        reload_ms = []
        for i in range(RELOADS):
            write_config(directory, port, "debug" if i % 2 == 0 else "info")
            t0 = time.monotonic()
            daemon.send_signal(signal.SIGHUP)
            t1 = notify.wait(lambda m: m.startswith("READY=1"))
            reload_ms.append((t1 - t0) * 1000)
        rows.append(("SIGHUP → READY=1 (ms)", f"p50 {statistics.median(reload_ms):.2f}, p99 {percentile(reload_ms, 99):.2f}", "< 20"))

        time.sleep(3)
        rows.append(("idle RSS (MB)", f"{rss_kib(daemon.pid) / 1024:.1f}", "< 25"))
        size = os.path.getsize(BINARY)
        stripped = os.path.join(directory, "osprey.stripped")
        subprocess.run(["strip", "-o", stripped, BINARY], check=True)
        rows.append(("static binary (MB)", f"{size / 1e6:.1f} ({os.path.getsize(stripped) / 1e6:.1f} stripped)", "—"))

        for path, target in (("/healthz", ">= 40000"), ("/metrics", "—")):
            rps, p99, errors = wrk(port, path)
            rows.append((f"wrk -t2 -c64 -d10s {path}", f"{rps:,.0f} req/s, p99 {p99:.2f} ms, errors: {errors}", target))
        rows.append(("RSS after load (MB)", f"{rss_kib(daemon.pid) / 1024:.1f}", "—"))
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(10)
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  result  (target)")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value}  ({target})")


main()
