#!/usr/bin/env python3
"""A mutation's payload as a frontend asks it, on servers side by side.

    python3 bench/payloads.py --token "$STAFF" [--runs 200] \
        --target planned=http://127.0.0.1:8090/graphql \
        --target resolvers=http://127.0.0.1:8091/graphql

Sequentially (one keep-alive connection per target, targets taking turns)
it changes an organization's city with a payload that reads its country,
a page of its agreements with their parties and a page of its people, and
prints per target the median and p95 latency in milliseconds and the SQL
statements each write ran (from the target's /metrics). Point the targets
at one database you can write to (each run changes one organization's city
back and forth). Standard library only.
"""
import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse

UPDATE = """mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    organization {
      id name city version country { name }
      agreements(first: 10) { totalCount nodes { title status parties { role organization { name } } } }
      people(first: 10) { nodes { fullName email } }
    }
  }
}"""

FIND = """{ organizations(first: 1, orderBy: [{ field: ID }]) {
  nodes { id version } } }"""


class Target:
    def __init__(self, name: str, url: str, token: str):
        self.name = name
        self.url = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        self.headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
        self.times: list[float] = []

    def post(self, query: str, variables: dict) -> dict:
        body = json.dumps({"query": query, "variables": variables})
        self.conn.request("POST", self.url.path, body, self.headers)
        answer = json.loads(self.conn.getresponse().read())
        if answer.get("errors"):
            raise SystemExit(f"{self.name}: {json.dumps(answer)[:400]}")
        return answer["data"]

    def statements(self) -> int:
        self.conn.request("GET", "/metrics")
        for line in self.conn.getresponse().read().decode().splitlines():
            if line.startswith("db_statements_total "):
                return int(float(line.split()[1]))
        raise SystemExit(f"{self.name}: no db_statements_total in /metrics")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", action="append", required=True, help="NAME=URL")
    parser.add_argument("--token", required=True)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    targets = [Target(*t.split("=", 1), args.token) for t in args.target]
    row = targets[0].post(FIND, {})["organizations"]["nodes"][0]
    org, version = row["id"], row["version"]
    statements = {t.name: t.statements() for t in targets}
    for i in range(args.runs):
        for target in targets:
            start = time.perf_counter()
            data = target.post(UPDATE, {"input": {"id": org, "version": version,
                                                  "city": f"City {i % 2}"}})
            target.times.append((time.perf_counter() - start) * 1000)
            version = data["updateOrganization"]["organization"]["version"]
    print("| target | median ms | p95 ms | statements per write |")
    print("|---|--:|--:|--:|")
    for target in targets:
        ran = (target.statements() - statements[target.name]) / args.runs
        times = sorted(target.times)
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"| {target.name} | {statistics.median(times):.2f} | {p95:.2f} | {ran:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
