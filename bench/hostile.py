#!/usr/bin/env python3
"""Hostile documents against a fresh server each: time to the answer (or to
giving up), peak RSS of the server process, and whether it survived.

    python3 bench/hostile.py BINARY [--timeout 60] [--only TEXT] [--postgres URL]

Each document runs against its own server process (`BINARY serve`, 2
workers) over a copy of one SQLite database with the demo data, so one
document's memory does not colour the next one's figure; with `--postgres`,
over that database instead (e.g. one holding `api seed --synthetic --scale
large`), which the documents only read. Peak RSS is the
kernel's high-water mark (VmHWM) of the server process after the answer.
Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request


def nested(depth, open_, close):
    return ("{ organizations(filter: " + open_ * depth + '{ name: { eq: "x" } }'
            + close * depth + ") { totalCount } }")


def fan_out(levels):
    doc = ["fragment M0 on Query { a0: viewer { role } }"]
    for i in range(1, levels + 1):
        doc.append(f"fragment M{i} on Query {{ a{i}: viewer {{ role }} ...M{i-1} ...M{i-1} }}")
    return f"query {{ ...M{levels} }}\n" + "\n".join(doc)


INTERFACE = ("{ agreements(first:100){ nodes { parties { organization { agreements(first:100) {"
             " nodes { fieldsOfStudy { agreements(first:100) { nodes { id title } } } } } } } } } }")
BATCH_OP = "{ organizations(first: 100) { nodes { agreements(first: 100) { nodes { id title kind } } } } }"


EVERY_NONE_SOME = ('{ organizations(first:1, filter:{agreements:{every:{parties:{none:{organization:'
                   '{agreements:{some:{title:{contains:"zzq"}}}}}}}}}) { nodes { id } } }')
PAGE_AFTER = ("query($c: String) { organizations(first: 1, after: $c, orderBy: [{ field: NAME }]) "
              "{ nodes { id } } }")


def chain(hops):
    """Organizations through `hops` rounds of agreements → parties → organization."""
    f = '{ name: { contains: "zzq" } }'
    for _ in range(hops):
        f = "{ agreements: { some: { parties: { some: { organization: %s } } } } }" % f
    return "{ organizations(first: 1, filter: %s) { nodes { id } } }" % f


def count_orders(n):
    return "{ " + " ".join(f"o{i}: organizations(first: 1, orderBy: [{{ field: AGREEMENTS_COUNT }}])"
                           " { nodes { id } }" for i in range(n)) + " }"


def cursor(name):
    """A cursor of the NAME order whose name is `name` (forged)."""
    import base64
    raw = json.dumps({"o": "name:a,id:a", "v": [name, 1]}).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def documents():
    """(name, JSON body) pairs, as the hostile-requests issue lists them."""
    q = lambda query, variables=None: {"query": query, "variables": variables or {}}
    filt = "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }"
    return [
        ("`not` nested 175 deep (2 KB)", q(nested(175, "{ not: ", " }"))),
        ("`or` nested 175 deep", q(nested(175, "{ or: [", "] }"))),
        ("fragment fan-out, 16 levels (0.9 KB)", q(fan_out(16))),
        ("fragment fan-out, 29 levels (1.6 KB)", q(fan_out(29))),
        ("3 connections of 100 through `Organization`", q(INTERFACE)),
        ("batch of 10 × 100 × 100 agreements", [q(BATCH_OP)] * 10),
        ("40,000 aliases of `__typename` (700 KB)",
         q("{ " + " ".join(f"a{i}: __typename" for i in range(40000)) + " }")),
        ("200 aliased `__schema`",
         q("{ " + " ".join(f"s{i}: __schema {{ types {{ name fields {{ name type {{ name }} }} }} }}"
                          for i in range(200)) + " }")),
        ("900 KB `search:` text",
         q("query($s: String) { organizations(search: $s) { totalCount } }", {"s": "x" * 900_000})),
        ("`and: [4,000 items]`",
         q(filt, {"f": {"and": [{"name": {"eq": f"n{i}"}} for i in range(4000)]}})),
        ("40 × 1,000-value `in` lists",
         q(filt, {"f": {"or": [{"name": {"in": [f"n{i}" for i in range(1000)]}} for _ in range(40)]}})),
        ("30,000 `@skip` directives", q("{ __typename" + " @skip(if: false)" * 30000 + " }")),
        # "Every door guarded" (issue #22).
        ("152-byte relation filter (`every`/`none`/`some`)", q(EVERY_NONE_SOME)),
        ("three nested `some` hops", q(chain(3))),
        ("25 aliased orders by `AGREEMENTS_COUNT`", q(count_orders(25))),
        ("`__j1` and `__root` aliases", q("{ __root: organizations(first: 2) { nodes { __j1: name } } }")),
        ("a cursor holding NUL", q(PAGE_AFTER, {"c": cursor("nul\u0000byte")})),
        ("a 600 KB cursor", q(PAGE_AFTER, {"c": cursor("x" * 600_000)})),
        ("`null` for a required variable", q("query($n: Int!) { organizations(first: $n) { nodes { id } } }",
                                              {"n": None})),
    ]


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, db_path, port, postgres=None):
    url = postgres or f"sqlite://{db_path}?mode=rwc"
    env = dict(os.environ, DATABASE_URL=url, HOST="127.0.0.1", DEMO_DATA="false" if postgres else "true",
               PORT=str(port), WORKERS="2", RUST_LOG="error",
               JWT_SECRET="hostile-bench-secret-0123456789abcdef-xyz")
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1).read()
            return proc
        except Exception:
            if proc.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def hwm_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(binary, template, name, body, timeout, postgres=None):
    workdir = tempfile.mkdtemp()
    db = os.path.join(workdir, "demo.db")
    if not postgres:
        shutil.copy(template, db)
    port = free_port()
    proc = start(binary, db, port, postgres)
    base_rss = hwm_mib(proc.pid)
    data = json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=data,
                                 headers={"content-type": "application/json"})
    started = time.monotonic()
    outcome = ""
    size = 0
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            text = resp.read()
    except urllib.error.HTTPError as e:
        text = e.read()
    except Exception as e:  # timeout, reset
        text = b""
        outcome = "no answer (" + type(e).__name__ + ")"
    elapsed = time.monotonic() - started
    size = len(text)
    if text:
        try:
            answer = json.loads(text)
            answers = answer if isinstance(answer, list) else [answer]
            codes = sorted({e.get("extensions", {}).get("code", "?")
                            for a in answers for e in a.get("errors", [])})
            limit = sorted({e.get("extensions", {}).get("limit") for a in answers
                            for e in a.get("errors", []) if e.get("extensions", {}).get("limit")})
            outcome = "answered" if not codes else "/".join(codes)
            if limit:
                outcome += " (" + ", ".join(limit) + ")"
        except ValueError:
            outcome = "non-JSON answer"
    peak = hwm_mib(proc.pid)
    alive = proc.poll() is None
    if not alive:
        outcome += "; process died"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    shutil.rmtree(workdir, ignore_errors=True)
    return {"name": name, "bytes": len(data), "seconds": elapsed, "outcome": outcome,
            "answer_bytes": size, "rss_start": base_rss, "rss_peak": peak, "alive": alive}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--only", default=None, help="run documents whose name contains this")
    ap.add_argument("--postgres", default=None, help="a PostgreSQL URL to read instead of the demo data")
    args = ap.parse_args()
    workdir = tempfile.mkdtemp()
    template = os.path.join(workdir, "template.db")
    if not args.postgres:
        proc = start(args.binary, template, free_port())  # loads the demo data
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    print("| document | request | time to answer | answer | peak RSS (MiB) | outcome |")
    print("|---|--:|--:|--:|--:|---|")
    for name, body in documents():
        if args.only and args.only not in name:
            continue
        r = run(args.binary, template, name, body, args.timeout, args.postgres)
        seconds = f"{r['seconds']:.2f} s" if r["seconds"] < args.timeout else f"> {args.timeout:.0f} s"
        size = f"{r['answer_bytes'] / 1e6:.1f} MB" if r["answer_bytes"] > 1e5 else f"{r['answer_bytes']} B"
        rss = f"{r['rss_peak']:.0f}" if r["rss_peak"] else "—"
        print(f"| {name} | {r['bytes'] / 1024:.1f} KiB | {seconds} | {size} | {rss} | {r['outcome']} |",
              flush=True)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
