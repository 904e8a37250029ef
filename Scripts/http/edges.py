#!/usr/bin/env python3
"""The service under hostile HTTP clients, with the real binary on a free port (issue 13):

1. slowloris: 1,100 connections trickling request heads; the service keeps answering others, and cuts them
   after --head-timeout with 408 or a close;
2. a trickling upload while the service is told to stop (SIGTERM): it exits within --shutdown-timeout;
3. admission: with every worker slot held, a POST with `Expect: 100-continue` is answered 503 at once and its
   body is never sent;
4. memory: 64 concurrent 16 MiB bodies keep the growth of the peak RSS under (worker slots + 2) x the body limit.

Usage: Scripts/http/edges.py [BINARY]   (default .build/debug/zorgzones; data from $ZORGZONES_DATA or ../shared/geodata)
Exit status 0 when every check holds; each check prints what it measured.
"""
import os, re, resource, signal, socket, subprocess, sys, tempfile, threading, time

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/zorgzones"
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)

def start(*args):
    log = tempfile.NamedTemporaryFile("w+", delete=False)
    p = subprocess.Popen([BINARY, "serve", "--port", "0", "--no-maps", *args], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(1800):
        text = open(log.name).read()
        m = re.search(r"address=\S*:(\d+)", text)
        if m:
            return p, int(m.group(1)), log.name
        if p.poll() is not None:
            break
        time.sleep(0.1)
    print(open(log.name).read())
    raise SystemExit("the service did not start")

def get(port, path="/healthz", timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.split(b"\r\n", 1)[0].decode(errors="replace")

def rss_kb(pid, key="VmHWM"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))

# 1. slowloris
p, port, _ = start("--head-timeout", "3", "--max-connections", "1000")
slow = []
for i in range(1100):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    except OSError:
        break
t0 = time.time()
status = None
while time.time() - t0 < 15:
    try:
        status = get(port)
        if status.startswith("HTTP/1.1 200"):
            break
    except OSError:
        pass
    time.sleep(0.2)
check(status is not None and status.startswith("HTTP/1.1 200"),
      f"slowloris: with {len(slow)} trickling connections open, GET /healthz answered ({status}) after {time.time() - t0:.1f} s")
time.sleep(4)
closed = 0
for s in slow:
    s.setblocking(False)
    try:
        data = s.recv(4096)
        if data == b"" or data.startswith(b"HTTP/1.1 408") or data.startswith(b"HTTP/1.1 503"):
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
check(closed == len(slow), f"slowloris: {closed} of {len(slow)} trickling connections cut within the head timeout (3 s) + 4 s")
for s in slow:
    s.close()
p.send_signal(signal.SIGTERM); p.wait(timeout=30)

# 2. trickling upload during SIGTERM
p, port, _ = start("--body-timeout", "60", "--shutdown-timeout", "5")
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /v1/dissolve?by=z HTTP/1.1\r\nHost: x\r\nContent-Type: application/geo+json\r\nContent-Length: 100000\r\n\r\n{")
stop = threading.Event()
def trickle():
    while not stop.is_set():
        try:
            s.sendall(b" ")
        except OSError:
            return
        time.sleep(0.5)
threading.Thread(target=trickle, daemon=True).start()
time.sleep(1)
t0 = time.time()
p.send_signal(signal.SIGTERM)
try:
    p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
took = time.time() - t0
stop.set()
check(took < 7, f"SIGTERM with a trickling upload: the process stopped after {took:.1f} s (shutdown timeout 5 s)")

# 3. admission before the body (Expect: 100-continue) and 4. memory
p, port, _ = start("--max-concurrent", "2", "--max-queued", "0", "--body-timeout", "60", "--timeout", "60")
holders = []
for _ in range(2):   # two trickling uploads hold both slots (a body is read only once a slot is held)
    h = socket.create_connection(("127.0.0.1", port))
    h.sendall(b"POST /v1/dissolve?by=z HTTP/1.1\r\nHost: x\r\nContent-Type: application/geo+json\r\nContent-Length: 1000\r\n\r\n{")
    holders.append(h)
time.sleep(1)
e = socket.create_connection(("127.0.0.1", port), timeout=10)
t0 = time.time()
e.sendall(b"POST /v1/dissolve?by=z HTTP/1.1\r\nHost: x\r\nContent-Type: application/geo+json\r\nContent-Length: 16000000\r\nExpect: 100-continue\r\n\r\n")
answer = e.recv(4096).split(b"\r\n", 1)[0].decode()
check(answer.startswith("HTTP/1.1 503") and time.time() - t0 < 2,
      f"admission: with both slots held, an Expect: 100-continue POST is answered '{answer}' in {time.time() - t0:.2f} s, before its body")
e.close()
for h in holders:
    h.close()
p.send_signal(signal.SIGTERM); p.wait(timeout=30)

LIMIT = 16 * 1024 * 1024
p, port, _ = start("--max-concurrent", "2", "--max-queued", "16", "--max-body-bytes", str(LIMIT), "--timeout", "120")
time.sleep(1)
base = rss_kb(p.pid, "VmRSS")
body = b'{"type":"FeatureCollection","features":[' + b" " * (LIMIT - 60) + b"]}"
def post():
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=120)
        c.sendall(f"POST /v1/dissolve?by=z HTTP/1.1\r\nHost: x\r\nContent-Type: application/geo+json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        c.sendall(body)
        c.recv(4096)
        c.close()
    except OSError:
        pass
threads = [threading.Thread(target=post) for _ in range(64)]
for t in threads: t.start()
for t in threads: t.join()
peak = rss_kb(p.pid)
growth_mb = (peak - base) / 1024
bound_mb = (2 + 2) * LIMIT / 1024 / 1024
check(growth_mb < bound_mb, f"memory: 64 concurrent 16 MiB bodies, peak RSS grew {growth_mb:.0f} MB over {base/1024:.0f} MB (bound (2 slots + 2) x 16 MiB = {bound_mb:.0f} MB)")
p.send_signal(signal.SIGTERM); p.wait(timeout=30)

sys.exit(1 if failures else 0)
