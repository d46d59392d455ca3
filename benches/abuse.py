#!/usr/bin/env python3
"""Abuse benchmark: how fast the release server refuses hostile requests, and how much
memory it holds while clients send them at once. Python's standard library only.

    cargo build --release
    python3 benches/abuse.py [BINARY]        default: target/release/asean-graph

Starts BINARY on a loopback port over a fresh store (the bundled dataset, rate limit off),
then prints a Markdown table: for each request, what it got and the median time from send
to answer over 50 tries; then the server's peak resident memory (VmHWM) after 8 clients
send the amplification query at once, 25 times each. A server that dies is reported as
such (the old release died on the first nested literal).
"""
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/asean-graph"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, query):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"query": query})
    started = time.perf_counter()
    conn.request("POST", "/graphql", body, {"content-type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    try:
        answer = json.loads(data)
    except ValueError:
        answer = {}
    errors = answer.get("errors") or []
    code = errors[0].get("extensions", {}).get("code") if errors else "answered"
    return elapsed, code, len(data)


def nested_literal(depth):
    return "{ search(text: %s\"x\"%s) { __typename } }" % ("[" * depth, "]" * depth)


def amplification():
    inner = ""
    for _ in range(6):
        inner = "chairmanships { year sources { title } member { code %s } }" % inner
    return "{ %s }" % " ".join(
        'a%d: member(code: "VNM") { %s }' % (i, inner) for i in range(11)
    )


def doubling_fragments(n):
    doc = "{ ...F0 }"
    for i in range(n):
        doc += " fragment F%d on Query { __typename ...F%d ...F%d }" % (i, i + 1, i + 1)
    return doc + " fragment F%d on Query { __typename }" % n


PRODUCT = """{ partners(kind: DIALOGUE_PARTNER) { nodes { name
    fundings { nodes { projectCount amountUsd
      target { ... on Initiative { code name parent { code } } }
      approvedAt { code startDate } sources { title } } } } } }"""


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main():
    work = tempfile.mkdtemp()
    port = free_port()
    server = subprocess.Popen(
        [BINARY, "--data", os.path.join(work, "store"), "serve",
         "--listen", "127.0.0.1:%d" % port, "--rate-limit", "0"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
    for _ in range(100):
        try:
            post(port, "{ __typename }")
            break
        except OSError:
            time.sleep(0.1)
    print("| request | bytes | answer | median time |")
    print("|---|---:|---|---:|")
    cases = [
        ("product question (honest, for comparison)", PRODUCT),
        ("list literal nested 5,000 deep", nested_literal(5000)),
        ("amplification (6 levels of chairmanships, 11 aliases)", amplification()),
        ("30 fragments doubling at each step", doubling_fragments(30)),
    ]
    for name, query in cases:
        times, code = [], None
        for _ in range(50):
            if server.poll() is not None:
                code = "server died (exit %s)" % server.returncode
                break
            try:
                elapsed, code, _ = post(port, query)
            except OSError as e:
                code = "no answer: %s" % e.__class__.__name__
                break
            times.append(elapsed)
            if elapsed > 5:
                break
        median = "%.0f µs" % (statistics.median(times) * 1e6) if times else "-"
        print("| %s | %d | %s | %s |" % (name, len(query), code, median))
        if server.poll() is not None:
            print("\nthe server died; its log:\n" + open(os.path.join(work, "server.log")).read()[-600:])
            return 1
    rss_before = status_kb(server.pid, "VmRSS")
    codes = []

    def client():
        for _ in range(25):
            try:
                codes.append(post(port, amplification())[1])
            except OSError as e:
                codes.append("no answer: %s" % e.__class__.__name__)

    threads = [threading.Thread(target=client) for _ in range(8)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    print()
    print("8 clients × 25 amplification queries at once: %s in %.2f s" % (
        ", ".join("%s ×%d" % (c, codes.count(c)) for c in sorted(set(codes), key=str)), took))
    print("resident memory: %.1f MiB before, %.1f MiB peak (VmHWM), %.1f MiB after" % (
        rss_before / 1024, status_kb(server.pid, "VmHWM") / 1024,
        status_kb(server.pid, "VmRSS") / 1024))
    server.terminate()
    server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
