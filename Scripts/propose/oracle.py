#!/usr/bin/env python3
"""An oracle for the exact search of `propose`, through the rule engine itself.

West-Vlaanderen is opened up (the other RZZ kept): every grouping of its ELZ by their referentieregio's, each ELZ
that lies in several referentieregio's (read from the package's tables) tried with each of them, is posted to
/v1/check. The zonings with no violation are the answer the exact search must give: /v1/propose with the same
RZZ kept must report exactly that many feasible zonings, and each of its proposals must be one of them.

    python3 Scripts/propose/oracle.py BASE_URL DATA_DIR
Prints "ok …" lines; exit 1 on a mismatch.
"""
import csv
import itertools
import json
import sys
import urllib.request

BASE, DATA = sys.argv[1], sys.argv[2]
OPENED = ["Regio Brugge en Middenkust", "Westhoek - Midwest", "Zuid-West-Vlaanderen"]


def rows(name):
    with open(f"{DATA}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def post(path, body, content_type):
    req = urllib.request.Request(BASE + path, data=body.encode(), headers={"Content-Type": content_type}, method="POST")
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.headers, r.read().decode()


def partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for p in partitions(rest):
        for i in range(len(p)):
            yield p[:i] + [[first] + p[i]] + p[i + 1:]
        yield [[first]] + p


rzz = rows("rzz.csv")
elz_rows = rows("elz.csv")
pop = {r["block_id"]: int(r["population"]) for r in rows("population.csv")}
rr_of_nis = {r["nis"]: r["rr_code"] for r in rows("referentieregio.csv")}
nis_of_block = {}
for f in json.load(open(f"{DATA}/blocks.geojson"))["features"]:
    nis_of_block[f["properties"]["id"]] = f["properties"]["nis"]

opened = [r["elz_code"] for r in rzz if r["rzz_name"] in OPENED]
# Each opened ELZ: population per referentieregio.
by_rr = {e: {} for e in opened}
for r in elz_rows:
    e = r["elz_code"]
    if e in by_rr:
        rr = rr_of_nis[nis_of_block[r["block_id"]]]
        by_rr[e][rr] = by_rr[e].get(rr, 0) + pop[r["block_id"]]
home = {e: max(m, key=m.get) for e, m in by_rr.items()}
groups = sorted(set(home.values()))
multi = [e for e in opened if len(by_rr[e]) > 1]
kept = sorted({r["rzz_code"] for r in rzz if r["rzz_name"] not in OPENED})

passing = set()
tried = 0
for choice in itertools.product(*[sorted(by_rr[e]) for e in multi]):
    rr_of = dict(home)
    rr_of.update(zip(multi, choice))
    for p in partitions(groups):
        zone_of_rr = {rr: i for i, part in enumerate(p) for rr in part}
        assign = {e: zone_of_rr[rr_of[e]] for e in opened}
        # The same zoning reached twice (a choice that changes nothing) is tried once.
        key = frozenset(frozenset(e for e in opened if assign[e] == z) for z in set(assign.values()))
        lines = ["elz_code,rzz_code,rzz_name"]
        for r in rzz:
            e = r["elz_code"]
            code = f"wvl{assign[e]}" if e in assign else r["rzz_code"]
            lines.append(f"{e},{code},{code}")
        tried += 1
        headers, _ = post("/v1/check?format=json", "\n".join(lines) + "\n", "text/csv")
        if headers["Zorgzones-Violations"] == "0":
            passing.add(key)
print(f"ok {tried} groupings of West-Vlaanderen posted to /v1/check, {len(passing)} distinct zonings pass")

_, text = post("/v1/propose", json.dumps({"objective": "rr-congruence", "keep": kept, "top": 20}), "application/json")
answer = json.loads(text)
n = answer["search"]["feasible_zonings"]
if n != len(passing) or not answer["search"]["complete"]:
    print(f"not ok: propose reports {n} feasible zonings (complete: {answer['search']['complete']}), the rule engine passes {len(passing)}")
    sys.exit(1)
print(f"ok propose reports the same {n} feasible zonings, complete")
for p in answer["proposals"]:
    key = frozenset(frozenset(e["code"] for e in z["elz"]) for z in p["zones"] if any(e["code"] in opened for e in z["elz"]))
    if key not in passing:
        print(f"not ok: proposal {p['rank']} is not among the zonings the rule engine passes")
        sys.exit(1)
print(f"ok each of the {len(answer['proposals'])} proposals is one of them")
