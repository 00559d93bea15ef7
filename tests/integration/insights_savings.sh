#!/usr/bin/env bash
# insights_savings.sh: `finq recommend`, `finq architecture` and `finq owners`
# on the dev data against its manifest: every gp2 volume and previous-
# generation instance still running is recommended, with savings recomputed
# here from raw `finq sql` to the cent; owners guessed right for >= 90% of
# the correlated untagged resources and "unknown" for the others; the
# architecture names EC2 and the data stores; scope narrowing; bad input.
set -u
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
MANIFEST=$DATA/cur-dev/manifest.json
dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"
q() { finq "$DB" --today 2025-12-04 "$@"; }

# 1. recommendations: coverage and arithmetic recomputed from raw SQL
q recommend --json >"$WORK/rec.json" 2>"$WORK/rec.err"
check_eq "recommend exits 0" 0 "$?"
sql_rows "$DB" "SELECT sum(amortized_cost) FROM costs WHERE usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01'
	AND usage_type LIKE '%EBS:VolumeUsage.gp2' AND resource_id IN (SELECT resource_id FROM costs WHERE usage_date = DATE '2025-11-30')" >"$WORK/gp2.csv"
sql_rows "$DB" "SELECT resource_id, coalesce(instance_type, split_part(usage_type, ':', 2)), sum(amortized_cost) FROM costs
	WHERE usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01' AND (usage_type LIKE '%BoxUsage:%' OR usage_type LIKE '%SpotUsage:%')
	AND resource_id IN (SELECT resource_id FROM costs WHERE usage_date = DATE '2025-11-30') GROUP BY ALL" >"$WORK/instances.csv"
run python3 - "$WORK/rec.json" "$MANIFEST" "$WORK/gp2.csv" "$WORK/instances.csv" <<'PY'
import csv, json, sys
rec, man = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
items = {i["rule"]: i for i in rec["items"]}
fails = []
def ids(rule):
    return {r["id"] for r in items.get(rule, {}).get("resources", [])}
gp2 = set(man["gp2_volumes"]); old = set(man["previous_generation_instances"])
got_gp2, got_old = ids("ebs-gp2-to-gp3"), ids("ec2-previous-generation")
print(f"coverage: gp2 {len(gp2 & got_gp2)}/{len(gp2)}, previous generation {len(old & got_old)}/{len(old)}")
if gp2 - got_gp2: fails.append(f"gp2 volumes missing: {sorted(gp2 - got_gp2)}")
if old - got_old: fails.append(f"old instances missing: {sorted(old - got_old)}")
if got_gp2 - gp2: fails.append(f"gp2 volumes not in the manifest: {sorted(got_gp2 - gp2)}")
if got_old - old: fails.append(f"instances not in the manifest: {sorted(got_old - old)}")
# gp2: gp3 is $0.08 against $0.10 per GB-month: 20% of the gp2 cost
gp2_cost = float(open(sys.argv[3]).read().strip())
want = round(gp2_cost * (1 - 0.08 / 0.10), 2)
got = round(items["ebs-gp2-to-gp3"]["estimated_monthly_saving"], 2)
print(f"gp2 saving: recomputed {want}, reported {got}")
if abs(want - got) > 0.005: fails.append(f"gp2 saving {got} != {want}")
# previous generations: us-east-1 on-demand Linux prices of old and new types
price = {"c4": (0.199, 0.170), "m4": (0.200, 0.192), "t2": (0.0464, 0.0416), "c3": (0.21, 0.17),
         "m3": (0.266, 0.192), "r3": (0.333, 0.252), "r4": (0.266, 0.252)}
want = 0.0
for rid, itype, cost in csv.reader(open(sys.argv[4])):
    fam = itype.split(".")[0]
    if fam in price:
        want += float(cost) * (1 - price[fam][1] / price[fam][0])
want = round(want, 2)
got = round(items["ec2-previous-generation"]["estimated_monthly_saving"], 2)
print(f"instance saving: recomputed {want}, reported {got}")
if abs(want - got) > 0.005: fails.append(f"instance saving {got} != {want}")
if "26 volumes" not in items["ebs-gp2-to-gp3"]["arithmetic"]: fails.append("gp2 arithmetic: " + items["ebs-gp2-to-gp3"]["arithmetic"])
for i in rec["items"]:
    for k in ("rule", "title", "service", "resources", "current_monthly_cost", "estimated_monthly_saving", "arithmetic", "confidence"):
        if k not in i: fails.append(f"{i.get('rule')}: no {k}")
    if not 0 <= i["confidence"] <= 1: fails.append(f"{i['rule']}: confidence {i['confidence']}")
if not rec["charts"] or rec["charts"][0]["type"] != "bar": fails.append("no bar chart")
if not rec["suggestions"]: fails.append("no suggestions")
print("\n".join(fails)); sys.exit(1 if fails else 0)
PY
if [ "$RC" = 0 ]; then ok "recommend covers the manifest, savings recomputed to the cent ($(echo "$OUT" | head -3 | tr '\n' ' '))"; else not_ok "recommend coverage and arithmetic" "$OUT"; fi

# 2. scope narrowing: CloudWatch only returns CloudWatch rules
out=$(q recommend --json CloudWatch 2>&1)
check "recommend CloudWatch returns only CloudWatch rules" python3 -c '
import json, sys
r = json.loads(sys.argv[1]); s = {i["service"] for i in r["items"]}
assert r["items"] and s == {"AmazonCloudWatch"}, s' "$out"

# 3. owners: accuracy against the manifest
q owners --json >"$WORK/owners.json" 2>"$WORK/owners.err"
check_eq "owners exits 0" 0 "$?"
run python3 - "$WORK/owners.json" "$MANIFEST" <<'PY'
import json, sys
res, man = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["owners"]
got = {i["resource_id"]: i for i in res["items"]}
right = sum(1 for k, v in man.items() if v and got.get(k, {}).get("likely_owner") == v["team"])
correlated = sum(1 for v in man.values() if v)
unknown_ok = sum(1 for k, v in man.items() if not v and got.get(k, {}).get("likely_owner") == "unknown")
uncorrelated = sum(1 for v in man.values() if not v)
print(f"owners: {right}/{correlated} correlated right, {unknown_ok}/{uncorrelated} uncorrelated unknown")
bad = [i for i in res["items"] if not 0 <= i["confidence"] <= 1]
ok = right >= 0.9 * correlated and unknown_ok == uncorrelated and not bad and res["charts"] and res["by_owner"]
sys.exit(0 if ok else 1)
PY
if [ "$RC" = 0 ]; then ok "owners: $OUT"; else not_ok "owners accuracy" "$OUT"; fi
vol=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))["owners"]; print(next(k for k, v in sorted(m.items()) if v and k.startswith("vol-")))' "$MANIFEST")
team=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["owners"][sys.argv[2]]["team"])' "$MANIFEST" "$vol")
out=$(q owners --json "$vol" 2>&1)
check_eq "owners --json $vol gives its team" "$team" "$(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); assert len(r["items"]) == 1; print(r["items"][0]["likely_owner"])' "$out" 2>&1)"

# 4. architecture: EC2 and the data stores present, confidences in 0..1
q architecture --json >"$WORK/arch.json" 2>&1
sql_rows "$DB" "SELECT DISTINCT service_code FROM costs WHERE usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01'
	AND service_code IN ('AmazonRDS', 'AmazonDynamoDB', 'AmazonElastiCache', 'AmazonRedshift', 'AmazonES', 'AmazonS3')" >"$WORK/stores.csv"
check "architecture names EC2 and every data store present" python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); stores = set(open(sys.argv[2]).read().split())
named = {i.get("service") for i in r["items"]}
assert "AmazonEC2" in named, named
assert stores and stores <= named, stores - named
assert all(0 <= i["confidence"] <= 1 for i in r["items"])
assert r["charts"][0]["type"] == "doughnut" and r["layers"]' "$WORK/arch.json" "$WORK/stores.csv"

# 5. bad input: clear errors
run q owners vol-0000notthere0000
check_ne "an unknown resource id fails" 0 "$RC"
check_contains "and says which" "$ERR" "no resource 'vol-0000notthere0000'"
run finq "$WORK/empty.duckdb" --today 2025-12-04 recommend
check_ne "recommend on an empty database fails" 0 "$RC"
check_match "and says why" "$ERR" "no cost data|load"

# 6. how long each analysis takes, the whole process included: printed,
# not asserted. A timing assertion on a shared 2-core machine fails when a
# neighbour is busy (it did: 1,618 ms against a 1,500 ms budget under
# ASan with a build beside it).
for a in recommend architecture owners; do
	start=$(date +%s%N); q "$a" >/dev/null 2>&1; ms=$((($(date +%s%N) - start) / 1000000))
	echo "# $a took $ms ms"
done
finish
