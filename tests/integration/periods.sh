#!/usr/bin/env bash
# periods.sh: partial periods and fee timing on the dev data (issue 15),
# checked against its manifest.json (the generator's monthly totals):
#   - the forecast of a partial month (today 2025-11-04: four days of
#     November, its fees booked on the 1st) against November's truth;
#   - `forecast --backtest`'s month-end backtest: every 1st to 10th of the
#     last six full months as today, its error and interval coverage;
#   - the month-end forecast of a month whose fees are not booked yet adds
#     the usual lump and says so.
# The dev data is loaded once.
. "$(dirname "$0")/lib.sh"

DEV=$DATA/cur-dev
DB=$WORK/dev.duckdb
MANIFEST=$DEV/manifest.json

run finq "$DB" load "$DEV/cur2.parquet"
check_eq "dev data loads" 0 "$RC"
truth() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["months"][sys.argv[2]]["amortized"])' "$MANIFEST" "$1"
}

# --- the forecast of a partial month ------------------------------------
run finq "$DB" --today 2025-11-04 forecast --json
check_eq "forecast on 2025-11-04 exits 0" 0 "$RC"
nov=$(truth 2025-11-01)
got=$(python3 -c 'import json, sys; i = json.load(sys.stdin)["items"][0]; print(i["forecast"], i["lower"], i["upper"], i["days_actual"])' <<<"$OUT")
read -r point lower upper days <<<"$got"
check_eq "four days of November are actual" 4 "$days"
check_rel "November forecast on the 4th within 2% of the manifest's $nov" "$point" "$nov" 0.02
check "the 80% interval is not a sliver (at least ±0.3%)" \
	awk -v l="$lower" -v u="$upper" -v p="$point" 'BEGIN { exit !((u - l) / 2 >= 0.003 * p) }'

# December from the data to November 30: the fees of December are not
# booked, so the forecast carries November-sized fees (a month's total,
# not a month of usage alone)
run finq "$DB" --today 2025-12-01 forecast --json
dec=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["forecast"])' <<<"$OUT")
check_rel "December forecast is a whole month, fees included (near November's $nov)" "$dec" "$nov" 0.05

# --- the month-end backtest -----------------------------------------------
run finq "$DB" --today 2025-12-04 forecast --backtest --json
check_eq "forecast --backtest exits 0" 0 "$RC"
echo "$OUT" >"$WORK/forecast.json"
report=$(python3 - "$WORK/forecast.json" "$MANIFEST" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
months = json.load(open(sys.argv[2]))["months"]
b = r["backtest"]["month_end"]
runs = b["runs"]
bad = []
days = sorted({x["today"][8:] for x in runs})
if days != ["%02d" % d for d in range(1, 11)]:
    bad.append("days %s" % days)
ms = sorted({x["today"][:7] for x in runs})
if ms != ["2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11"]:
    bad.append("months %s" % ms)
for x in runs:
    truth = months[x["today"][:8] + "01"]["amortized"]
    if abs(x["actual"] - truth) > 0.05:
        bad.append("actual %s vs manifest %s" % (x["actual"], truth))
    if not x["lower"] <= x["forecast"] <= x["upper"]:
        bad.append("interval %s" % x)
inside = sum(x["actual"] >= x["lower"] and x["actual"] <= x["upper"] for x in runs)
if inside != b["inside"] or len(runs) != b["forecasts"] or b["forecasts"] != 60:
    bad.append("counts %s/%s" % (inside, len(runs)))
if not 0 <= b["mape"] < 2:
    bad.append("mape %s" % b["mape"])
print("ok" if not bad else "bad", b["mape"], b["coverage_pct"], "; ".join(bad[:3]))
PY
)
echo "# month-end backtest: MAPE and 80% coverage: ${report#* }"
check_match "60 month-end forecasts (1st-10th, June-November 2025), truth from the manifest, MAPE under 2%" "$report" "^ok "
check_match "the backtest is told in words" "$(json_get message "$OUT")" "Month-end backtest.*inside the 80% interval"

finish
