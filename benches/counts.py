#!/usr/bin/env python3
"""The reproductions of issue 23 (counts priced by their page, budgets per query), timed in
CPU seconds of the server. Python's standard library only.

    cargo build --release
    target/release/asean-graph generate --scale 200 --output /tmp/s200.json
    target/release/asean-graph --data /tmp/s200 import /tmp/s200.json
    python3 benches/counts.py BINARY STORE [BINARY STORE …]

Serves STORE with BINARY (rate limit off) on a loopback port, sends each reproduction in
turn, and prints a Markdown table: what the server answered, its CPU time (from
/proc/PID/stat, from the request until the server is idle again), the wall time, and the
answer's size; then how long
/health took while 8 clients sent the 30-alias count at once, and while 1 and 8 clients
sent 30 searches' counts (which the budget lets through). Give several BINARY STORE
pairs to compare builds in one run (one server at a time: sled lets one process open a
store).
"""
import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

COUNT = "{ partners(first:100){ nodes { sources { supports(first:0){ totalCount } } } } }"
ALIASED = "{ " + " ".join(
    f"a{i}: partners(first:100){{ nodes {{ sources {{ supports(first:0){{ totalCount }} }} }} }}"
    for i in range(30)) + " }"
RELATIONSHIPS = "{ " + " ".join(
    f"r{i}: relationships(verified:false, last:100){{ totalCount }}" for i in range(30)) + " }"
CITATIONS = "{ " + " ".join(
    f'c{i}: source(code:"SYNTHETIC"){{ citationCount }}' for i in range(30)) + " }"
SEARCHES = "{ " + " ".join(
    f'a{i}: search(text: "iai", first: 1) {{ totalCount }}' for i in range(30)) + " }"
PAGES = "{ " + " ".join(
    f"i{i}: initiatives(first:100){{ nodes {{ code name nameVi description sources {{ code title }} }} }}"
    for i in range(29)) + " }"

CASES = [
    ("the 93-byte count", [COUNT]),
    ("the count, 30 aliases", [ALIASED]),
    ("a batch of 3 counts", [COUNT] * 3),
    ("a batch of 10 × 30 aliases", [ALIASED] * 10),
    ("30 × relationships(verified: false) totalCount", [RELATIONSHIPS]),
    ("30 × citationCount of SYNTHETIC", [CITATIONS]),
    ("a batch of 10 × 29 pages of initiatives", [PAGES] * 10),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled(pid):
    """The server's CPU seconds once it has stopped working: a query stopped by a timeout
    answers first and may run on (the old builds' did), and that is its cost too."""
    now = cpu(pid)
    while True:
        time.sleep(0.3)
        later = cpu(pid)
        if later - now < 0.02:
            return later
        now = later


def post(port, body, timeout=300):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/graphql", body, {"content-type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def outcome(status, data):
    try:
        answer = json.loads(data)
    except ValueError:
        return f"HTTP {status}"
    answers = answer if isinstance(answer, list) else [answer]
    codes = {}
    for a in answers:
        errors = a.get("errors") or []
        key = "answered" if not errors else ("refused " if a.get("data") is None else "partly ") + \
            (errors[0].get("extensions") or {}).get("code", "?")
        codes[key] = codes.get(key, 0) + 1
    return f"HTTP {status}: " + ", ".join(f"{n} {k}" for k, n in codes.items())


def ws_operations(port, query, n):
    """Runs `query` n times back to back on one graphql-transport-ws socket; what came back."""
    s = socket.create_connection(("127.0.0.1", port), timeout=300)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    buf = buf.split(b"\r\n\r\n", 1)[1]

    def send(obj):
        payload = json.dumps(obj).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        n = len(payload)
        header += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big") \
            if n < 65536 else bytes([0x80 | 127]) + n.to_bytes(8, "big")
        s.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv():
        nonlocal buf
        while True:
            if len(buf) >= 2:
                n = buf[1] & 0x7F
                at = 2
                if n == 126:
                    n, at = int.from_bytes(buf[2:4], "big"), 4
                elif n == 127:
                    n, at = int.from_bytes(buf[2:10], "big"), 10
                if len(buf) >= at + n:
                    frame, buf = buf[at:at + n], buf[at + n:]
                    return json.loads(frame) if frame[:1] == b"{" else {}
            chunk = s.recv(65536)
            if not chunk:
                return None
            buf += chunk

    send({"type": "connection_init"})
    recv()
    kinds = {}
    for i in range(n):
        send({"id": str(i), "type": "subscribe", "payload": {"query": query}})
        while True:
            m = recv()
            if m is None:
                kinds["closed"] = kinds.get("closed", 0) + 1
                return kinds
            if m.get("type") == "error":
                code = m["payload"][0].get("extensions", {}).get("code", "?")
                kinds["refused " + code] = kinds.get("refused " + code, 0) + 1
                break
            if m.get("type") == "next" and m["payload"].get("errors"):
                code = m["payload"]["errors"][0].get("extensions", {}).get("code", "?")
                kinds["partly " + code] = kinds.get("partly " + code, 0) + 1
            elif m.get("type") == "next":
                kinds["answered"] = kinds.get("answered", 0) + 1
            if m.get("type") == "complete":
                break
    s.close()
    return kinds


def health_under_load(port, query, clients=8):
    """/health's slowest answer while `clients` send `query` at once."""
    body = json.dumps({"query": query})
    threads = [threading.Thread(target=lambda: post(port, body)) for _ in range(clients)]
    for t in threads:
        t.start()
    worst = 0.0
    while any(t.is_alive() for t in threads):
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", "/health")
        conn.getresponse().read()
        conn.close()
        worst = max(worst, time.perf_counter() - started)
        time.sleep(0.05)
    return worst


def run(binary, store):
    port = free_port()
    server = subprocess.Popen(
        [binary, "--data", store, "serve", "--listen", f"127.0.0.1:{port}", "--rate-limit", "0",
         "--response-cache-mb", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                post(port, json.dumps({"query": "{ __typename }"}), timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        print(f"\n### {binary} on {store}\n")
        print("| reproduction | request bytes | server CPU s | wall s | answer bytes | what it got |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, queries in CASES:
            if len(queries) == 1:
                body = json.dumps({"query": queries[0]})
            else:
                body = json.dumps([{"query": q} for q in queries])
            before, started = cpu(server.pid), time.perf_counter()
            status, data = post(port, body)
            wall = time.perf_counter() - started
            spent = settled(server.pid) - before
            print(f"| {name} | {len(body)} | {spent:.2f} | {wall:.2f} | {len(data)} | {outcome(status, data)} |")
        before, started = cpu(server.pid), time.perf_counter()
        kinds = ws_operations(port, COUNT, 10)
        wall = time.perf_counter() - started
        spent = settled(server.pid) - before
        shown = ", ".join(f"{n} {k}" for k, n in kinds.items())
        print(f"| /ws: the 93-byte count 10 times on one socket | — | {spent:.2f} | {wall:.2f} | — | {shown} |")
        print(f"\n/health's slowest answer while 8 clients sent the 30-alias count at once: "
              f"{health_under_load(port, ALIASED):.2f} s")
        # What the budget lets through: 30 searches' counts (the standing search's dearest).
        for clients in (1, 8):
            print(f"/health's slowest answer while {clients} client(s) sent 30 searches' "
                  f"totalCount at once: {health_under_load(port, SEARCHES, clients):.2f} s")
        with open(f"/proc/{server.pid}/status") as f:
            hwm = [l for l in f if l.startswith("VmHWM")][0].split()[1]
        print(f"peak RSS: {int(hwm) // 1024} MiB")
    finally:
        server.terminate()
        server.wait()


def main():
    args = sys.argv[1:]
    if len(args) < 2 or len(args) % 2:
        sys.exit(__doc__)
    for binary, store in zip(args[::2], args[1::2]):
        run(binary, store)


if __name__ == "__main__":
    main()
