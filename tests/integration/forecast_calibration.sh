#!/usr/bin/env bash
# forecast_calibration.sh: the month-end forecast's error and its 80%
# interval's coverage (docs/forecast.md), on the dev data and on a demo
# series held out when the method was built (seed 6):
#   - dev: 60 forecasts, coverage 75-90%, MAPE at most 0.45% (it was 67%
#     and 0.53% when the trend read the 2025-08-18 level shift as a slope),
#     every September forecast inside its interval;
#   - the forecast after the shift says it fitted it as a step on the
#     manifest's day (within 2 days) of about the manifest's size;
#   - every month's interval says which spread set it and from how many
#     past forecasts;
#   - every month-end backtest run says which spread set its interval and
#     the three half-widths, the interval being the widest of them (the
#     figures docs/forecast.md's over-coverage analysis reads);
#   - demo seed 6: coverage at least 75% (it was 50%).
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
MANIFEST=$DATA/cur-dev/manifest.json
dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

run finq "$DB" --today 2025-12-04 forecast --backtest --json
check_eq "forecast --backtest exits 0" 0 "$RC"
echo "$OUT" >"$WORK/dev.json"
report=$(python3 - "$WORK/dev.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["backtest"]["month_end"]
sep = [x for x in b["runs"] if x["today"].startswith("2025-09")]
print(b["forecasts"], b["coverage_pct"], b["mape"], sum(x["inside"] for x in sep), len(sep))
PY
)
read -r forecasts coverage mape sep_inside sep_runs <<<"$report"
echo "# dev month-end backtest: $forecasts forecasts, coverage $coverage%, MAPE $mape%"
check_eq "60 month-end forecasts" 60 "$forecasts"
check "coverage of the 80% interval is 75-90% ($coverage%)" \
	awk -v c="${coverage:-0}" 'BEGIN { exit !(c >= 75 && c <= 90) }'
check "MAPE at most 0.45% ($mape%)" awk -v m="${mape:-9}" 'BEGIN { exit !(m <= 0.45) }'
check_eq "every September forecast inside its interval" "10 10" "${sep_inside:-0} ${sep_runs:-0}"
check "every backtest run says what set its interval, the widest of its three spreads" python3 -c '
import json, sys
runs = json.load(open(sys.argv[1]))["backtest"]["month_end"]["runs"]
names = {"model", "past_errors", "monthly_backtest"}
for x in runs:
    h = x["half_widths"]
    assert set(h) == names and x["interval_basis"] in names, x
    assert abs(x["upper"] - x["forecast"] - max(h.values())) <= 0.02, x
    assert abs(max(h.values()) - h[x["interval_basis"]]) <= 0.01, x' "$WORK/dev.json"

# the forecast made after the level shift names it
run finq "$DB" --today 2025-09-05 forecast --json
check_eq "forecast on 2025-09-05 exits 0" 0 "$RC"
echo "$OUT" >"$WORK/sep.json"
verdict=$(python3 - "$WORK/sep.json" "$MANIFEST" <<'PY'
import json, re, sys
from datetime import date
r = json.load(open(sys.argv[1]))
shift = json.load(open(sys.argv[2]))["level_shift"]
m = re.search(r"level shift on (\d{4}-\d\d-\d\d) \(up \$([\d,.]+) a day\) fitted as a step", r["message"])
if not m:
    print("bad no step in: " + r["message"][:300]); sys.exit()
days = abs((date.fromisoformat(m.group(1)) - date.fromisoformat(shift["start"])).days)
size = float(m.group(2).replace(",", ""))
want = shift["daily_cost_after"] - shift["daily_cost_before"]
ok = days <= 2 and abs(size - want) <= 0.15 * want
print(("ok" if ok else "bad"), m.group(1), size, "manifest", shift["start"], round(want, 2))
PY
)
check_match "the level shift of 2025-08-18 fitted as a step of its size" "$verdict" "^ok "
check "each month says what set its interval" python3 -c '
import json, sys
items = json.load(open(sys.argv[1]))["items"]
assert items and all(i["interval_basis"] in ("model", "past_errors", "monthly_backtest") for i in items), items
assert all(i["past_errors"] >= 56 for i in items), items' "$WORK/sep.json"

# a demo series held out when the method was built
DEMO=$WORK/demo6.duckdb
run finq "$DEMO" demo --seed 6 --end 2025-11-30 --out "$WORK/demo6.parquet"
check_eq "demo seed 6 generates and loads" 0 "$RC"
run finq "$DEMO" --today 2025-12-04 forecast --backtest --json
held=$(python3 -c 'import json, sys; b = json.load(sys.stdin)["backtest"]["month_end"]; print(b["coverage_pct"], b["mape"])' <<<"$OUT" 2>/dev/null)
echo "# demo seed 6 month-end backtest: coverage and MAPE: $held"
check "held-out demo seed 6: coverage at least 75% ($held)" awk -v c="${held%% *}" 'BEGIN { exit !(c + 0 >= 75) }'

finish
