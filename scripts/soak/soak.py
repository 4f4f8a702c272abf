"""Steady load for scripts/soak.sh: README's and DESIGN's example queries at
READS a second (spread over staff, a partner and anonymous callers) and
organization updates at WRITES a second, for SECONDS; every 10 s a line with
the requests and errors so far and the server's RSS. Exits 1 on any error or
when the last minute's RSS is more than 10 % above the second minute's.

Standard library only: a thread per caller kind, each with its own kept-alive
connection, paced to its share of the rate.
"""

import argparse
import base64
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse


def readme_queries(path):
    text = open(path, encoding="utf-8").read()
    blocks = re.findall(r"```graphql\n(.*?)```", text, re.S)
    return [b for b in blocks if b.lstrip().startswith("query")]


def design_queries(folder):
    import os

    return [
        open(os.path.join(folder, name), encoding="utf-8").read()
        for name in sorted(os.listdir(folder))
        if name.endswith(".graphql")
    ]


def rss_mib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = 0
        self.samples = []

    def add(self, ok, sample=None):
        with self.lock:
            self.requests += 1
            if not ok:
                self.errors += 1
                if sample and len(self.samples) < 5:
                    self.samples.append(sample)


class Client:
    def __init__(self, url, token):
        self.parsed = urllib.parse.urlparse(url)
        self.token = token
        self.conn = None

    def post(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.parsed.hostname, self.parsed.port, timeout=30)
            try:
                self.conn.request("POST", self.parsed.path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, json.loads(data)
            except (http.client.HTTPException, ConnectionError, OSError):
                # A kept-alive connection the server closed: once more on a new one.
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")


def ok(status, body, partial_ok):
    """A read is fine when it answered 200 with data; a partner's and an
    anonymous caller's refused fields (FORBIDDEN) are the rules working."""
    if status != 200 or not isinstance(body.get("data"), dict):
        return False
    errors = body.get("errors") or []
    return all(partial_ok and e.get("extensions", {}).get("code") == "FORBIDDEN" for e in errors)


def paced(rate, until, counter, send):
    """Calls send(i) `rate` times a second until `until`; send returns
    (good, sample). An exception is an error of the soak."""
    interval = 1.0 / rate
    next_at = time.monotonic()
    i = 0
    while time.monotonic() < until:
        i += 1
        try:
            good, sample = send(i)
            counter.add(good, None if good else sample)
        except Exception as err:  # noqa: BLE001 - any failure is an error of the soak
            counter.add(False, repr(err))
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_at = time.monotonic()


def reader(url, token, queries, rate, until, counter, partial_ok):
    client = Client(url, token)
    variables = {"id": base64.urlsafe_b64encode(b"Agreement:1").decode().rstrip("=")}

    def send(i):
        status, body = client.post(queries[i % len(queries)], variables)
        return ok(status, body, partial_ok), (status, json.dumps(body)[:300])

    paced(rate, until, counter, send)


def writer(url, token, rate, until, counter):
    client = Client(url, token)
    status, body = client.post("{ organizations(first: 20) { nodes { id version } } }")
    rows = body["data"]["organizations"]["nodes"]
    mutation = (
        "mutation Rename($i: UpdateOrganizationInput!) { updateOrganization(input: $i) "
        "{ organization { id version city } } }"
    )

    def send(i):
        row = rows[i % len(rows)]
        status, body = client.post(
            mutation, {"i": {"id": row["id"], "version": row["version"], "city": f"Soak {i}"}}
        )
        good = status == 200 and not body.get("errors")
        if good:
            row["version"] = body["data"]["updateOrganization"]["organization"]["version"]
        return good, (status, json.dumps(body)[:300])

    paced(rate, until, counter, send)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--reads", type=float, default=100)
    parser.add_argument("--writes", type=float, default=5)
    parser.add_argument("--readme", required=True)
    parser.add_argument("--design", required=True)
    parser.add_argument("--staff", required=True)
    parser.add_argument("--partner", required=True)
    parser.add_argument("--writer", required=True)
    args = parser.parse_args()

    queries = readme_queries(args.readme) + design_queries(args.design)
    counter = Counter()
    started = time.monotonic()
    until = started + args.seconds
    # Half the reads as staff, a quarter each as a partner and anonymously;
    # two threads per caller kind so that a slow answer does not stall the pace.
    callers = [(args.staff, 0.25, False), (args.staff, 0.25, False),
               (args.partner, 0.125, True), (args.partner, 0.125, True),
               (None, 0.125, True), (None, 0.125, True)]
    threads = [
        threading.Thread(target=reader, args=(args.url, token, queries, args.reads * share, until, counter, partial),
                         daemon=True)
        for token, share, partial in callers
    ]
    if args.writes > 0:
        threads.append(threading.Thread(target=writer, args=(args.url, args.writer, args.writes, until, counter),
                                        daemon=True))
    for t in threads:
        t.start()

    print(f"{'seconds':>7} {'requests':>9} {'req/s':>7} {'errors':>6} {'RSS MiB':>8}", flush=True)
    rss = []
    last_requests = 0
    while True:
        time.sleep(10)
        elapsed = time.monotonic() - started
        with counter.lock:
            requests, errors = counter.requests, counter.errors
        mib = rss_mib(args.pid)
        rss.append((elapsed, mib))
        print(f"{elapsed:7.0f} {requests:9d} {(requests - last_requests) / 10:7.1f} {errors:6d} {mib:8.1f}", flush=True)
        last_requests = requests
        if elapsed >= args.seconds:
            break
    for t in threads:
        t.join(timeout=35)

    def minute(start, end):
        values = [m for (t, m) in rss if start < t <= end]
        return sum(values) / len(values) if values else float("nan")

    second = minute(60, 120)
    last = minute(args.seconds - 60, args.seconds + 10)
    growth = (last - second) / second * 100 if second == second and second > 0 else float("nan")
    summary = {
        "seconds": args.seconds,
        "requests": counter.requests,
        "errors": counter.errors,
        # None when the run is too short to have a second minute.
        "rss_second_minute_mib": round(second, 1) if second == second else None,
        "rss_last_minute_mib": round(last, 1) if last == last else None,
        "rss_growth_percent": round(growth, 1) if growth == growth else None,
        "error_samples": counter.samples,
    }
    print(json.dumps(summary, indent=2), flush=True)
    failed = counter.errors > 0 or not (growth <= 10)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
