#!/usr/bin/env python3
"""Connection flood against the daemon's HTTP listener (release build, default [http] limits).

One client opens and holds N connections from 127.0.0.1 while another probes /healthz from 127.0.0.2 and the
control socket answers `GET /v1/status`; prints the probes' p50/p99, the connections the daemon kept open and
refused (its own metrics), and its RSS before, during and after the flood.
Usage: flood_bench.py OSPREY_BINARY [connections]
"""
import json, os, resource, socket, subprocess, sys, tempfile, threading, time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1])


def get(port, path, source="127.0.0.2"):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return data


def control(sock_path):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(sock_path)
    s.sendall(b"GET /v1/status HTTP/1.1\r\nHost: osprey\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return data


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    binary, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    count = min(count, hard - 200)
    work = tempfile.mkdtemp(prefix="osprey-flood-")
    port = 17900 + os.getpid() % 1000
    with open(f"{work}/osprey.toml", "w") as config:
        config.write(f'[daemon]\nstate_dir = "{work}/state"\n[http]\nlisten = "127.0.0.1:{port}"\n[control]\nsocket = "{work}/control.sock"\n')
    daemon = subprocess.Popen([binary, "run", "--config", f"{work}/osprey.toml"], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            if b"200 OK" in get(port, "/healthz"):
                break
        except OSError:
            time.sleep(0.1)
    time.sleep(1)
    before = rss_kb(daemon.pid)
    health, controls, stop = [], [], threading.Event()

    def probe():
        while not stop.is_set():
            started = time.perf_counter()
            ok = b"200 OK" in get(port, "/healthz")
            health.append((time.perf_counter() - started) * 1000 if ok else float("inf"))
            started = time.perf_counter()
            ok = b"200 OK" in control(f"{work}/control.sock")
            controls.append((time.perf_counter() - started) * 1000 if ok else float("inf"))
            time.sleep(0.01)

    prober = threading.Thread(target=probe)
    prober.start()
    held, failed = [], 0
    started = time.perf_counter()
    for _ in range(count):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        except OSError:
            failed += 1
        held.append(s)
    flood_seconds = time.perf_counter() - started
    time.sleep(2)
    burst = len(health)  # probes taken while the connections were being opened and refused
    time.sleep(5)
    during = rss_kb(daemon.pid)
    metrics = get(port, "/metrics").decode()
    stop.set()
    prober.join()
    for s in held:
        s.close()
    time.sleep(2)
    after = rss_kb(daemon.pid)
    sample = lambda name: next((line.split()[-1] for line in metrics.splitlines() if line.startswith(name)), "?")
    refused = sample('osprey_http_connections_refused_total{reason="per_client"}')
    print(f"flood: {count} connections opened from one address in {flood_seconds:.1f} s ({failed} failed client-side); "
          f"daemon kept {sample('osprey_http_connections_open')} open, refused {refused} (per client)")
    for label, probes, answers in (("during the burst", health[:burst], controls[:burst]), ("while the flood holds its connections", health[burst:], controls[burst:])):
        print(f"flood: {label}: /healthz from another address, {len(probes)} probes: p50 {percentile(probes, 0.5):.2f} ms, "
              f"p99 {percentile(probes, 0.99):.2f} ms, max {max(probes):.2f} ms; control socket GET /v1/status p99 {percentile(answers, 0.99):.2f} ms")
    print(f"flood: RSS {before // 1024} MB before, {during // 1024} MB during, {after // 1024} MB after")
    daemon.terminate()
    daemon.wait(timeout=15)


main()
