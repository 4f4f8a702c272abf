#!/usr/bin/env python3
"""Latency and throughput of writes against a running server.

    TOKEN=$(api token --role admin) python3 bench/writes.py --url http://127.0.0.1:8000/graphql \
        [--runs 200] [--threads 8]

Sequentially (one keep-alive connection) it creates agreements with two
parties and a field of study, updates each, moves each along its lifecycle
and deletes it; it prints min / median / p95 / max in milliseconds and the SQL
statements each write ran (from /metrics). Then `--threads` clients update
distinct agreements concurrently and it prints the writes per second.
Writes rows: point it at a database you can throw away. Standard library only.
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

CREATE = """mutation($input: CreateAgreementInput!) {
  createAgreement(input: $input) { agreement { id version } } }"""
UPDATE = """mutation($input: UpdateAgreementInput!) {
  updateAgreement(input: $input) { agreement { id version } } }"""
STATUS = """mutation($input: ChangeAgreementStatusInput!) {
  changeAgreementStatus(input: $input) { agreement { id version } } }"""
DELETE = """mutation($input: DeleteAgreementInput!) {
  deleteAgreement(input: $input) { deletedId } }"""
ORGS = """query($home: Boolean!) { organizations(first: 50, filter: { isHome: { eq: $home } }) {
  nodes { id } } }"""


class Client:
    def __init__(self, url, token):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.path = parts.path or "/graphql"
        self.token = token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def post(self, query, variables):
        body = json.dumps({"query": query, "variables": variables})
        start = time.perf_counter()
        self.conn.request("POST", self.path, body=body, headers={
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
            "authorization": f"Bearer {self.token}",
        })
        resp = self.conn.getresponse()
        data = resp.read()
        elapsed = (time.perf_counter() - start) * 1000.0
        payload = json.loads(data)
        if resp.status != 200 or payload.get("errors"):
            sys.exit(f"request failed ({resp.status}): {data[:500]!r}")
        return elapsed, payload["data"]

    def statements(self):
        self.conn.request("GET", "/metrics")
        text = self.conn.getresponse().read().decode()
        for line in text.splitlines():
            if line.startswith("db_statements_total "):
                return int(line.split()[1])
        sys.exit("no db_statements_total on /metrics")


def row(name, times, statements, runs):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"| {name} | {times[0]:.1f} | {statistics.median(times):.1f} | {p95:.1f} | "
          f"{times[-1]:.1f} | {statements / runs:.1f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/graphql")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    token = os.environ.get("TOKEN") or sys.exit("set TOKEN to an admin token (api token --role admin)")

    client = Client(args.url, token)
    home = client.post(ORGS, {"home": True})[1]["organizations"]["nodes"][0]["id"]
    partners = [n["id"] for n in client.post(ORGS, {"home": False})[1]["organizations"]["nodes"]]

    def input_for(i):
        return {"title": f"Benchmark agreement {i}", "kind": "COOPERATION_AGREEMENT",
                "parties": [{"organizationId": home, "role": "LEAD"},
                            {"organizationId": partners[i % len(partners)], "role": "PARTNER"}],
                "fieldCodes": ["0613"]}

    print("| write | min ms | median ms | p95 ms | max ms | statements |")
    print("|---|---|---|---|---|---|")
    ids, times = [], []
    before = client.statements()
    for i in range(args.runs):
        t, data = client.post(CREATE, {"input": input_for(i)})
        ids.append(data["createAgreement"]["agreement"]["id"])
        times.append(t)
    row("createAgreement (2 parties, 1 field)", times, client.statements() - before, args.runs)

    phases = [
        ("updateAgreement (title)", UPDATE, lambda id_: {"id": id_, "version": 1, "title": "Renamed"}),
        ("changeAgreementStatus", STATUS, lambda id_: {"id": id_, "version": 2, "status": "UNDER_NEGOTIATION"}),
    ]
    for name, query, make in phases:
        times = []
        before = client.statements()
        for id_ in ids:
            times.append(client.post(query, {"input": make(id_)})[0])
        row(name, times, client.statements() - before, args.runs)

    # Concurrent updates of distinct agreements.
    chunks = [ids[i::args.threads] for i in range(args.threads)]

    def worker(chunk):
        c = Client(args.url, token)
        for id_ in chunk:
            c.post(UPDATE, {"input": {"id": id_, "version": 3, "summary": "concurrent"}})

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start

    times = []
    before = client.statements()
    for id_ in ids:
        times.append(client.post(DELETE, {"input": {"id": id_, "version": 4}})[0])
    row("deleteAgreement", times, client.statements() - before, args.runs)
    print()
    print(f"{len(ids)} updates from {args.threads} concurrent clients: {elapsed:.2f} s, "
          f"{len(ids) / elapsed:.0f} writes/s")


if __name__ == "__main__":
    main()
