#!/usr/bin/env python3
"""The same questions asked as users ask them: by role and by database.

    python3 bench/views.py --oha oha \
        --target staff=http://127.0.0.1:8080/graphql --header "staff=authorization: Bearer $STAFF" \
        --target partner=http://127.0.0.1:8080/graphql --header "partner=authorization: Bearer $PARTNER" \
        --target sqlite=http://127.0.0.1:8081/graphql --header "sqlite=authorization: Bearer $STAFF2" \
        --queries DIR --compare partner/staff --compare sqlite/staff --out-md table.md

Every qN_*.graphql of DIR (with qN_*.variables.json beside it) is asked of
every target: a check (HTTP 200 and `data`; field errors are allowed, since
a partner's page refuses fields on other organizations' rows, and counted),
then --rounds rounds of oha for --duration seconds at -c connections,
round-robin over the targets, the median round reported. --compare A/B adds
A's throughput over B's for each question. Standard library only; oha as
the shared benchmark runs it (no compression, JSON output).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path


def body_for(qfile: Path) -> bytes:
    body = {"query": qfile.read_text(encoding="utf-8")}
    variables = qfile.with_suffix(".variables.json")
    if variables.exists():
        body["variables"] = json.loads(variables.read_text(encoding="utf-8"))
    return json.dumps(body, separators=(",", ":")).encode()


def check(url: str, body: bytes, header: str | None) -> tuple[bool, str, int]:
    headers = {"content-type": "application/json", "accept": "application/json"}
    if header:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
    except Exception as err:  # noqa: BLE001 - reported, not raised
        return False, str(err), 0
    if not answer.get("data"):
        return False, f"no data: {json.dumps(answer)[:300]}", 0
    return True, "", len(answer.get("errors", []))


def oha(binary: str, url: str, body_file: str, connections: int, seconds: float,
        header: str | None) -> dict:
    cmd = [binary, "--no-tui", "--disable-compression", "--output-format", "json", "-m", "POST",
           "-T", "application/json", "-D", body_file, "-c", str(connections), "-z", f"{seconds}s",
           "-w", "--worker-threads", "1"] + (["-H", header] if header else []) + [url]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oha", required=True)
    ap.add_argument("--target", action="append", required=True, help="NAME=URL")
    ap.add_argument("--header", action="append", default=[], help="NAME=HEADER")
    ap.add_argument("--queries", required=True, help="directory of qN_*.graphql")
    ap.add_argument("--only", action="append", default=[], help="NAME=q1,q6: the questions a target is asked")
    ap.add_argument("--compare", action="append", default=[], help="A/B: A's req/s over B's")
    ap.add_argument("-c", "--concurrency", type=int, default=32)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out-md", required=True)
    a = ap.parse_args()

    targets = dict(t.split("=", 1) for t in a.target)
    headers = dict(h.split("=", 1) for h in a.header)
    only = {name: set(stems.split(",")) for name, stems in (o.split("=", 1) for o in a.only)}
    stems = sorted(q.stem for q in Path(a.queries).glob("q*.graphql"))
    tmp = Path(tempfile.mkdtemp(prefix="views-"))
    results: dict[tuple[str, str], dict] = {}
    for stem in stems:
        body = body_for(Path(a.queries) / f"{stem}.graphql")
        body_file = tmp / f"{stem}.json"
        body_file.write_bytes(body)
        asked = [n for n in targets if n not in only or any(stem.startswith(s + "_") or stem == s for s in only[n])]
        ready = []
        for name in asked:
            ok, why, errors = check(targets[name], body, headers.get(name))
            if not ok:
                print(f"{stem} {name}: check failed: {why}", file=sys.stderr)
                results[(stem, name)] = {"note": "check failed"}
                continue
            ready.append(name)
            results[(stem, name)] = {"errors": errors, "rounds": []}
        for rnd in range(a.rounds):
            for name in ready:
                if rnd == 0 and a.warmup > 0:
                    oha(a.oha, targets[name], str(body_file), a.concurrency, a.warmup, headers.get(name))
                summary = oha(a.oha, targets[name], str(body_file), a.concurrency, a.duration,
                              headers.get(name))["summary"]
                results[(stem, name)]["rounds"].append(summary["requestsPerSec"])
                print(f"{stem} {name} round {rnd + 1}: {summary['requestsPerSec']:.0f} req/s", flush=True)
        for name in ready:
            rounds = results[(stem, name)]["rounds"]
            results[(stem, name)]["rps"] = statistics.median(rounds)

    lines = ["| question | " + " | ".join(targets) + " | " + " | ".join(a.compare) + " |",
             "|---|" + "--:|" * (len(targets) + len(a.compare))]
    for stem in stems:
        cells = []
        for name in targets:
            r = results.get((stem, name))
            if r is None:
                cells.append("—")
            elif "rps" not in r:
                cells.append(r["note"])
            else:
                refused = f" ({r['errors']} refused)" if r["errors"] else ""
                cells.append(f"{r['rps']:.0f}{refused}")
        for pair in a.compare:
            left, right = pair.split("/")
            lr, rr = results.get((stem, left), {}), results.get((stem, right), {})
            cells.append(f"{lr['rps'] / rr['rps']:.2f}×" if "rps" in lr and "rps" in rr and rr["rps"] else "—")
        lines.append(f"| {stem} | " + " | ".join(cells) + " |")
    Path(a.out_md).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
