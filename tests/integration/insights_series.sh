#!/usr/bin/env bash
# insights_series.sh: anomalies, drivers and forecast on the dev data,
# checked against its manifest.json (the generator's ground truth):
#   - every manifest anomaly matched by a spike of the same service and
#     account whose dates overlap; the level shift found as kind
#     level_shift within 2 days of its start; other alerts counted and
#     bounded, so a regression that floods alerts fails;
#   - drivers of "CloudWatch in October 2025": the top driver is the
#     DataProcessing usage type in account 510987654321, and the drivers
#     add up to the change recomputed with `finq sql`;
#   - forecast: a finite backtest MAPE, intervals around the point
#     forecast, one row per month asked, bad input refused (exit 2).
# The dev data is loaded once.
. "$(dirname "$0")/lib.sh"

DEV=$DATA/cur-dev
DB=$WORK/dev.duckdb
TODAY=(--today 2025-12-04)
MAX_OTHER_ALERTS=10

dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

# --- anomalies ---------------------------------------------------------
run finq "$DB" "${TODAY[@]}" anomalies --json
check_eq "anomalies exits 0" 0 "$RC"
echo "$OUT" >"$WORK/anomalies.json"
report=$(python3 - "$DEV/manifest.json" "$WORK/anomalies.json" "$MAX_OTHER_ALERTS" <<'EOF'
import json, sys
from datetime import date, timedelta

manifest = json.load(open(sys.argv[1]))
result = json.load(open(sys.argv[2]))
limit = int(sys.argv[3])
items = result["items"]
d = date.fromisoformat
used = set()
lines = []

def overlaps(item, start, end):
    return d(item["start"]) <= d(end) and d(start) <= d(item["end"])

found = 0
for m in manifest["anomalies"]:
    hit = [i for i, it in enumerate(items)
           if it["kind"] != "level_shift" and it["service"] == m["service"]
           and it["account"] == m["account"] and overlaps(it, m["start"], m["end"])]
    exact = [i for i in hit if items[i]["start"] == m["start"] and items[i]["end"] == m["end"]]
    if hit:
        found += 1
        used.update(hit)
    lines.append("anomaly %s %s %s..%s: %s" % (m["service"], m["account"], m["start"], m["end"],
                 "found, dates exact" if exact else ("found, dates overlap" if hit else "MISSED")))
ls = manifest["level_shift"]
hit = [i for i, it in enumerate(items)
       if it["kind"] == "level_shift" and it["service"] == ls["service"] and it["account"] == ls["account"]
       and abs((d(it["start"]) - d(ls["start"])).days) <= 2]
if hit:
    found += 1
    used.update(hit)
lines.append("level shift %s %s from %s: %s" % (ls["service"], ls["account"], ls["start"],
             ("found from " + items[hit[0]]["start"]) if hit else "MISSED"))
total = len(manifest["anomalies"]) + 1
other = len(items) - len(used)
print("recall %d/%d" % (found, total))
print("other alerts %d" % other)
for l in lines:
    print(l)
ok_charts = any(c.get("type") == "line" and len(c["data"]["datasets"]) >= 2 for c in result["charts"])
print("chart", "ok" if ok_charts else "missing")
sys.exit(0 if found == total and other <= limit and ok_charts else 1)
EOF
)
rc=$?
echo "$report" | sed 's/^/# /'
check_eq "every manifest anomaly and the level shift found, at most $MAX_OTHER_ALERTS other alerts" 0 "$rc"
check_match "anomalies name their method" "$(json_get method "$OUT")" "MAD"
check_match "anomalies show their SQL" "$(json_get sql "$OUT")" "GROUP BY"

# A gradual trend (S3 grows, ES shrinks) and weekend dips are not alerts.
trend_alerts=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); items = json.load(open(sys.argv[2]))["items"]
watch = {m["trends"]["up"]["service"], m["trends"]["down"]["service"]}
print(sum(1 for it in items if it["service"] in watch))' "$DEV/manifest.json" "$WORK/anomalies.json")
check_eq "no alerts on the trending services" 0 "$trend_alerts"

# The scope narrows: only CloudWatch's event in October.
run finq "$DB" "${TODAY[@]}" anomalies --json CloudWatch in October 2025
n=$(python3 -c 'import json,sys; it=json.load(sys.stdin)["items"]; print(len(it), it[0]["start"] if it else "")' <<<"$OUT")
check_eq "anomalies in CloudWatch in October 2025" "1 2025-10-14" "$n"

# --- drivers -----------------------------------------------------------
run finq "$DB" "${TODAY[@]}" drivers --json CloudWatch in October 2025
check_eq "drivers exits 0" 0 "$RC"
echo "$OUT" >"$WORK/drivers.json"
top=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); t = r["items"][0]
print(t["usage_type"], t["account"], r["periods"]["before"]["start"], r["periods"]["after"]["end"])' "$WORK/drivers.json")
check_match "top driver: DataProcessing in account 510987654321, September vs October" "$top" \
	"DataProcessing.* 510987654321 2025-09-01 2025-10-31"
sum=$(python3 -c 'import json,sys; print(round(sum(i["change"] for i in json.load(open(sys.argv[1]))["items"]), 2))' \
	"$WORK/drivers.json")
want=$(sql_row "$DB" "SELECT round(sum(amortized_cost) FILTER (WHERE usage_date >= DATE '2025-10-01')
	- sum(amortized_cost) FILTER (WHERE usage_date < DATE '2025-10-01'), 2) FROM costs
	WHERE service_code = 'AmazonCloudWatch' AND usage_date >= DATE '2025-09-01' AND usage_date < DATE '2025-11-01'")
check_close "the drivers add up to the change (finq sql: $want)" "$sum" "$want" 0.05
effects=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(round(sum(i["new"] + i["removed"] + i["usage_effect"] + i["rate_effect"] + i["other"] for i in r["items"]), 2))' \
	"$WORK/drivers.json")
check_close "the effects add up to the change" "$effects" "$want" 0.05
check_match "drivers answer in words with dollars" "$(json_get message "$OUT")" "DataProcessing-Bytes in account 510987654321.*\\+\\$"

# With no words: last month against the month before.
run finq "$DB" "${TODAY[@]}" drivers --json
periods=$(python3 -c 'import json,sys; p=json.load(sys.stdin)["periods"]; print(p["before"]["start"], p["after"]["start"])' <<<"$OUT")
check_eq "drivers default to last month vs the one before" "2025-10-01 2025-11-01" "$periods"

# --- forecast ----------------------------------------------------------
run finq "$DB" "${TODAY[@]}" forecast --backtest --json
check_eq "forecast --backtest exits 0" 0 "$RC"
echo "$OUT" >"$WORK/forecast.json"
verdict=$(python3 -c '
import json, math, sys
r = json.load(open(sys.argv[1]))
mape = r["backtest"]["mape"]
ok = isinstance(mape, float) and math.isfinite(mape) and 0 <= mape < 10
ok = ok and all(i["lower"] <= i["forecast"] <= i["upper"] and i["lower"] < i["upper"] for i in r["items"])
ok = ok and len(r["items"]) == 1 and r["items"][0]["month"] == "2025-12-01"
ok = ok and any(d.get("fill") == "-1" for c in r["charts"] for d in c["data"]["datasets"])
print("ok" if ok else "bad", mape)' "$WORK/forecast.json")
echo "# forecast backtest MAPE: ${verdict#* }%"
check_match "finite MAPE, intervals around the point, this month only, a band in the chart" "$verdict" "^ok "
check_match "forecast says the data ends before today" "$(json_get message "$OUT")" "ends on \\*\\*2025-11-30"
check_match "forecast names its method" "$(json_get method "$OUT")" "trend"

run finq "$DB" "${TODAY[@]}" forecast --months 3 --json
rows=$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r["items"]), len(r["rows"]), r["items"][-1]["month"])' <<<"$OUT")
check_eq "--months 3 gives 3 monthly rows" "3 3 2026-02-01" "$rows"

run finq "$DB" "${TODAY[@]}" forecast --months 99
check_eq "--months 99 is refused with exit 2" 2 "$RC"
run finq "$DB" "${TODAY[@]}" forecast --months -1
check_eq "--months -1 is refused with exit 2" 2 "$RC"

finish
