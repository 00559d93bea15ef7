#!/usr/bin/env bash
# commitments.sh: `finq commitments` (Savings Plan and RI utilization,
# coverage and net savings; docs/commitments.md) against figures computed
# without finq:
#   - the dev data: every month of 13, recomputed in plain Python from the
#     raw CUR 2.0 CSV.gz (the CUR's own columns: TotalCommitmentToDate,
#     UsedCommitment, the RI fee columns, public on-demand cost), to the
#     cent and 0.01 percentage point
#   - the same month through CUR 1.0 and FOCUS gives the same figures
#   - the demo generator's manifest (`finq demo --json`, "commitments"):
#     commitment, used, utilization and coverage per month, to the cent
#   - GET /api/v1/insights/commitments answers as the CLI does
#   - data without any commitment: an honest "none", exit code 6
#   - questions ("RI utilization by account", "SP coverage last month")
#     reach the analysis; on data without commitments they say so
#
#   FINQ=/abs/path/finq tests/integration/run.sh commitments.sh
set -u
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
TODAY=2025-12-10
ALL_MONTHS="from November 2024 to November 2025"

dev_data "$DB" cur2.parquet
check_eq "the dev data loads" 0 "$RC"

run finq "$DB" --today "$TODAY" commitments --json $ALL_MONTHS
check_eq "finq commitments --json over 13 months exits 0" 0 "$RC"
echo "$OUT" >"$WORK/dev.json"

# The expected figures from the raw CSV, with the usage types a commitment
# can cover written out again here (docs/commitments.md).
python3 - "$DATA/cur-dev/cur2.csv.gz" "$WORK/dev.json" >"$WORK/py.out" 2>&1 <<'PY'
import csv, gzip, json, sys
from collections import defaultdict

SP_STEMS = ["BoxUsage", "DedicatedUsage", "HostUsage", "Fargate-vCPU-Hours", "Fargate-GB-Hours", "Lambda-GB-Second"]
RI_STEMS = ["BoxUsage", "DedicatedUsage", "HostUsage", "InstanceUsage", "Multi-AZUsage", "NodeUsage", "ESInstance", "Node:"]

def num(s):
    return float(s) if s not in ("", None) else 0.0

want = defaultdict(lambda: defaultdict(float))
for row in csv.DictReader(gzip.open(sys.argv[1], "rt")):
    month = row["line_item_usage_start_date"][:7] + "-01"
    t = row["line_item_line_item_type"]
    ut = row["line_item_usage_type"] or ""
    od = num(row["pricing_public_on_demand_cost"])
    w = want[month]
    if t == "SavingsPlanRecurringFee":
        w["sp_commitment"] += num(row["savings_plan_total_commitment_to_date"])
        w["sp_used"] += num(row["savings_plan_used_commitment"])
    elif t == "RIFee":
        fee = num(row["reservation_amortized_upfront_fee_for_billing_period"]) + num(row["line_item_unblended_cost"])
        w["ri_commitment"] += fee
        w["ri_used"] += fee - num(row["reservation_unused_amortized_upfront_fee_for_billing_period"]) \
            - num(row["reservation_unused_recurring_fee"])
    if t not in ("Usage", "SavingsPlanCoveredUsage", "DiscountedUsage"):
        continue
    sp_ok = any(s in ut for s in SP_STEMS) or t == "SavingsPlanCoveredUsage"
    ri_ok = any(s in ut for s in RI_STEMS) or t == "DiscountedUsage"
    if t == "SavingsPlanCoveredUsage":
        w["sp_covered"] += od
    if t == "DiscountedUsage":
        w["ri_covered"] += od
    if sp_ok:
        w["sp_eligible"] += od
    if ri_ok:
        w["ri_eligible"] += od
    if sp_ok or ri_ok:
        w["all_eligible"] += od

got = {m["month"]: m for m in json.load(open(sys.argv[2]))["months"]}
fails = []
if sorted(got) != sorted(want):
    fails.append(f"months differ: {sorted(got)} vs {sorted(want)}")
for month, w in sorted(want.items()):
    g = got.get(month)
    if not g:
        continue
    checks = []
    for k in ("sp", "ri"):
        checks += [(k, "commitment", w[k + "_commitment"], 0.01), (k, "used", w[k + "_used"], 0.01),
                   (k, "covered_on_demand", w[k + "_covered"], 0.01), (k, "eligible_on_demand", w[k + "_eligible"], 0.01),
                   (k, "utilization_pct", 100 * w[k + "_used"] / w[k + "_commitment"], 0.01),
                   (k, "coverage_pct", 100 * w[k + "_covered"] / w[k + "_eligible"], 0.01),
                   (k, "net_savings", w[k + "_covered"] - w[k + "_commitment"], 0.01)]
    covered = w["sp_covered"] + w["ri_covered"]
    checks += [("all", "coverage_pct", 100 * covered / w["all_eligible"], 0.01),
               ("all", "net_savings", covered - w["sp_commitment"] - w["ri_commitment"], 0.01)]
    for kind, field, value, tol in checks:
        have = g[kind][field]
        if have is None or abs(have - value) > tol:
            fails.append(f"{month} {kind} {field}: finq {have}, expected {value:.4f}")
print(f"{len(want)} months, {sum(1 for _ in want) * 16} figures compared")
if fails:
    print("\n".join(fails[:20]))
    sys.exit(1)
PY
PY_RC=$?
if [ "$PY_RC" = 0 ]; then ok "dev data: every month's figures match plain Python over the raw CSV ($(tail -1 "$WORK/py.out"))"
else not_ok "dev data: the figures match plain Python over the raw CSV" "$(cat "$WORK/py.out")"; fi

# --- the same month through the other formats --------------------------
NOV=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({m["month"]: m for m in d["months"]}["2025-11-01"], sort_keys=True))' "$WORK/dev.json")
for f in cur1.csv.gz focus.csv.gz; do
	run finq "$WORK/${f%%.*}.duckdb" load --no-progress "$DATA/cur-dev/$f"
	run finq "$WORK/${f%%.*}.duckdb" --today "$TODAY" commitments --json November 2025
	OTHER=$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["months"][0], sort_keys=True))' "$OUT" 2>&1)
	if python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for k in ("sp", "ri", "all"):
    for f in ("commitment", "used", "covered_on_demand", "eligible_on_demand", "net_savings"):
        assert abs(a[k][f] - b[k][f]) < 0.01, (k, f, a[k][f], b[k][f])' "$NOV" "$OTHER" 2>"$WORK/.cmp"; then
		ok "$f: November 2025 has the figures of the CUR 2.0 load"
	else
		not_ok "$f: November 2025 has the figures of the CUR 2.0 load" "$(tail -1 "$WORK/.cmp")"
	fi
done

# --- what the answer says --------------------------------------------------
run finq "$DB" --today "$TODAY" commitments
check_eq "finq commitments (last full month) exits 0" 0 "$RC"
check_match "it shows the utilization arithmetic" "$OUT" 'utilization = used \$[0-9,.]+ / commitment \$[0-9,.]+ = [0-9.]+%'
check_match "it shows the coverage arithmetic" "$OUT" 'coverage = covered on-demand \$[0-9,.]+ / eligible on-demand \$[0-9,.]+ = [0-9.]+%'
check_contains "it says which month" "$OUT" "2025-11-01 to 2025-11-30"

run finq "$DB" --today "$TODAY" commitments --json account prod November 2025
check_py_out() {
	if python3 -c "import json, sys; d = json.loads(sys.argv[1]); $2" "$OUT" 2>"$WORK/.py"; then ok "$1"; else not_ok "$1" "$(tail -1 "$WORK/.py")"; fi
}
check_py_out "scope words narrow it: account prod holds the Savings Plan fee" '
assert any("210987654321" in s for s in d["sql"]), d["sql"]
assert d["items"][0]["commitment"] > 0, d["items"][0]'

# --- the demo's manifest ---------------------------------------------------
DEMO=$WORK/demo/d.duckdb
mkdir -p "$WORK/demo"
run "$FINQ" --db "$DEMO" --json demo --seed 11 --rows 20000 --today 2025-12-04
check_eq "finq demo --rows 20000 exits 0" 0 "$RC"
echo "$OUT" >"$WORK/manifest.json"
run "$FINQ" --db "$DEMO" --today 2025-12-04 commitments --json from December 2024 to December 2025
check_eq "finq commitments over the demo's months exits 0" 0 "$RC"
echo "$OUT" >"$WORK/demo.json"
if python3 - "$WORK/manifest.json" "$WORK/demo.json" >"$WORK/py.out" 2>&1 <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))["commitments"]
got = {m["month"]: m for m in json.load(open(sys.argv[2]))["months"]}
fails, n = [], 0
assert manifest, "the manifest records no commitments"
for want in manifest:
    g = got.get(want["month"])
    if g is None:
        fails.append(f"{want['month']}: no month in finq's answer")
        continue
    k = {"Savings Plan": "sp", "Reservation": "ri"}[want["kind"]]
    for field, tol in (("commitment", 0.01), ("used", 0.01), ("covered_on_demand", 0.01),
                       ("eligible_on_demand", 0.01), ("utilization_pct", 0.01), ("coverage_pct", 0.01)):
        n += 1
        if want[field] is None and g[k][field] is None:
            continue
        if want[field] is None or g[k][field] is None or abs(g[k][field] - want[field]) > tol:
            fails.append(f"{want['month']} {want['kind']} {field}: finq {g[k][field]}, manifest {want[field]}")
print(f"{len(manifest)} month-kinds, {n} figures")
if fails:
    print("\n".join(fails[:20]))
    sys.exit(1)
PY
then ok "demo: commitments match the generator's manifest ($(tail -1 "$WORK/py.out"))"
else not_ok "demo: commitments match the generator's manifest" "$(cat "$WORK/py.out")"; fi

# --- no commitments in the bill ----------------------------------------------
python3 - "$DATA/cur-dev/cur1.csv.gz" "$WORK/plain.csv" <<'PY'
import csv, gzip, sys
r = csv.DictReader(gzip.open(sys.argv[1], "rt"))
with open(sys.argv[2], "w", newline="") as out:
    w = csv.DictWriter(out, fieldnames=r.fieldnames)
    w.writeheader()
    for row in r:
        t = row["lineItem/LineItemType"]
        if t.startswith("SavingsPlan") or t in ("DiscountedUsage", "RIFee") or row.get("reservation/ReservationARN"):
            continue
        w.writerow(row)
PY
run finq "$WORK/plain.duckdb" load --no-progress "$WORK/plain.csv"
check_eq "a bill without commitment lines loads" 0 "$RC"
run finq "$WORK/plain.duckdb" --today "$TODAY" commitments
check_eq "commitments on it exits 6 (no data)" 6 "$RC"
check_contains "and says there are none" "$ERR" "no Savings Plan or Reserved Instance lines"

# --- as questions ------------------------------------------------------------
run finq "$DB" --today "$TODAY" ask --json "RI utilization by account last month"
check_py_out "a question: RI utilization by account is the analysis' table, one row per account holding an RI" '
assert d["columns"][:2] == ["account", "commitment_type"], d["columns"]
assert [r[0] for r in d["rows"]] == ["210987654321"], d["rows"]
assert d["rows"][0][1] == "Reservation" and 99 < d["rows"][0][4] < 100, d["rows"]'
run finq "$DB" --today "$TODAY" ask --json "what is our savings plan utilization"
check_py_out "a question: savings plan utilization answers the Savings Plan alone" '
assert [r[0] for r in d["rows"]] == ["Savings Plan"], d["rows"]'
run finq "$WORK/plain.duckdb" --today "$TODAY" ask --json "SP coverage last month"
check_py_out "a question the data cannot answer: no rows, and says no Savings Plan is present" '
assert d["rows"] == [], d["rows"]
assert "no Savings Plan lines" in d["message"], d["message"]'
run finq "$DB" --today "$TODAY" ask --json "what is our cpu utilization"
check_py_out "utilization of anything but a commitment is still refused" '
assert d["rows"] == [] and "billing data" in d["message"], d["message"]'

# --- the API -----------------------------------------------------------------
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"
run finq "$DB" --today "$TODAY" commitments --json RDS in October 2025
CLI=$OUT
start_server "$DB" || finish
req GET "/api/v1/insights/commitments?q=RDS%20in%20October%202025"
check_eq "GET /api/v1/insights/commitments is 200" 200 "$STATUS"
check_py "the API answers as the CLI does" '
cli = json.loads(sys.argv[3])
for k in ("title", "items", "rows", "months", "sql"):
    assert cli[k] == d[k], k
assert d["insight"] == "commitments"' "$CLI"

finish
