#!/usr/bin/env python3
"""Median latency of GraphQL operations against a running server.

    TOKEN=$(api token --role staff) \
    python3 bench/latency.py --url http://127.0.0.1:8000/graphql [--runs 50] [--warmup 5]

Sends each operation of bench/queries/ sequentially over one keep-alive
connection and prints min / median / p95 / max in milliseconds. The
`agreements_page` operation is measured twice: the first page, and the 1000th
page (its cursor found by walking the pages once, as a client would).
With `TOKEN` set, requests carry it (`Authorization: Bearer …`); without it
they are anonymous and see only the public directory (no students, so the
filtered directory comes back empty). Standard library only.
"""
import argparse
import http.client
import json
import os
import pathlib
import statistics
import sys
import time
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent


class Client:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path or "/graphql"
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        self.headers = {
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
        }
        if os.environ.get("TOKEN"):
            self.headers["authorization"] = f"Bearer {os.environ['TOKEN']}"

    def post(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        start = time.perf_counter()
        self.conn.request("POST", self.path, body=body, headers=self.headers)
        resp = self.conn.getresponse()
        data = resp.read()
        elapsed = (time.perf_counter() - start) * 1000.0
        payload = json.loads(data)
        if resp.status != 200 or payload.get("errors"):
            sys.exit(f"request failed ({resp.status}): {data[:500]!r}")
        return elapsed, payload["data"]


def measure(client, name, query, variables, runs, warmup):
    for _ in range(warmup):
        client.post(query, variables)
    times = sorted(client.post(query, variables)[0] for _ in range(runs))
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"| {name} | {times[0]:.1f} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/graphql")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--page", type=int, default=1000, help="the deep page to measure")
    args = parser.parse_args()

    client = Client(args.url)
    queries = {p.stem: p.read_text() for p in sorted((HERE / "queries").glob("*.graphql"))}
    print("| operation | min ms | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for name, query in queries.items():
        if name == "agreements_page":
            continue
        measure(client, name, query, {}, args.runs, args.warmup)

    page_query = queries["agreements_page"]
    first = measure(client, "agreements by signedOn, page 1", page_query, {"after": None}, args.runs, args.warmup)
    after = None
    walk_start = time.perf_counter()
    for _ in range(args.page - 1):
        _, data = client.post(page_query, {"after": after})
        info = data["agreements"]["pageInfo"]
        if not info["hasNextPage"]:
            sys.exit(f"fewer than {args.page} pages")
        after = info["endCursor"]
    walk = time.perf_counter() - walk_start
    deep = measure(client, f"agreements by signedOn, page {args.page}", page_query, {"after": after},
                   args.runs, args.warmup)
    print()
    print(f"page {args.page} / page 1 median: {deep / first:.2f}x "
          f"(walking {args.page - 1} pages took {walk:.1f} s)")


if __name__ == "__main__":
    main()
