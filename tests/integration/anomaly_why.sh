#!/usr/bin/env bash
# anomaly_why.sh: an anomaly's "Why?" explains the event it sits on, on the
# dev data against its manifest.json (the generator's ground truth).
#
# Every anomaly item carries the question the web UI's "Why?" asks
# (anomaly.c's add_why) and the windows it compares. For the manifest's
# level shift (NatGateway-Bytes of AmazonEC2 in account 210987654321 from
# 2025-08-18) the question compares the level before the step with the
# level after it, over windows of equal length either side (not one day
# against the day before); asked, it is answered by the drivers analysis,
# whose top driver is the manifest's usage type in its account and whose
# daily step is the manifest's (daily_cost_after - daily_cost_before).
# The spikes' questions name their manifest account too. Every question
# is one the parser reads.
. "$(dirname "$0")/lib.sh"

DEV=$DATA/cur-dev
DB=$WORK/dev.duckdb
TODAY=(--today 2025-12-04)

dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

run finq "$DB" "${TODAY[@]}" anomalies --json
check_eq "anomalies exits 0" 0 "$RC"
echo "$OUT" >"$WORK/anomalies.json"

# One line per manifest event: "<kind> <question>" of the item that is it.
python3 - "$DEV/manifest.json" "$WORK/anomalies.json" >"$WORK/events.txt" <<'EOF'
import json, sys
from datetime import date
manifest = json.load(open(sys.argv[1]))
items = json.load(open(sys.argv[2]))["items"]
d = date.fromisoformat
ls = manifest["level_shift"]
for it in items:
    if it["kind"] == "level_shift" and it["service"] == ls["service"] and abs((d(it["start"]) - d(ls["start"])).days) <= 2:
        print("level_shift\t%s\t%s\t%s\t%s" % (it.get("question", ""), it["start"],
              json.dumps(it.get("why_before")), json.dumps(it.get("why_after"))))
        break
for m in manifest["anomalies"]:
    for it in items:
        if it["kind"] != "level_shift" and it["service"] == m["service"] and it["account"] == m["account"] \
                and d(it["start"]) <= d(m["end"]) and d(m["start"]) <= d(it["end"]):
            print("spike\t%s\t%s\t%s" % (it.get("question", ""), m["account"], m["service"]))
            break
EOF
shift_line=$(grep '^level_shift' "$WORK/events.txt")
IFS=$'\t' read -r _ QUESTION SHIFT_START WHY_BEFORE WHY_AFTER <<<"$shift_line"
check_ne "the manifest's level shift is found, with a question" "" "${QUESTION:-}"

# The windows: equal, adjacent, either side of the step, more than a day.
windows=$(python3 - "$SHIFT_START" "$WHY_BEFORE" "$WHY_AFTER" <<'EOF'
import json, sys
from datetime import date, timedelta
start = date.fromisoformat(sys.argv[1])
b, a = json.loads(sys.argv[2]), json.loads(sys.argv[3])
b0, b1, a0, a1 = (date.fromisoformat(x) for x in (b["start"], b["end"], a["start"], a["end"]))
ok = a0 == start and b1 == start - timedelta(days=1) and (a1 - a0) == (b1 - b0) and (a1 - a0).days >= 6
print("ok" if ok else "before %s..%s after %s..%s for a step on %s" % (b0, b1, a0, a1, start))
EOF
)
check_eq "the level shift's Why? compares equal windows either side of the step" ok "$windows"
check_match "its question names both windows" "$QUESTION" '^what drove .*[0-9]{4}-[0-9]{2}-[0-9]{2} to [0-9]{4}-[0-9]{2}-[0-9]{2} vs [0-9]{4}-[0-9]{2}-[0-9]{2} to [0-9]{4}-[0-9]{2}-[0-9]{2}\?$'

run finq "$DB" "${TODAY[@]}" ask --json "$QUESTION"
check_eq "the level shift's question is answered" 0 "$RC"
echo "$OUT" >"$WORK/why.json"
verdict=$(python3 - "$DEV/manifest.json" "$WORK/why.json" "$WHY_BEFORE" "$WHY_AFTER" <<'EOF'
import json, sys
from datetime import date
ls = json.load(open(sys.argv[1]))["level_shift"]
answer = json.load(open(sys.argv[2]))
before, after = json.loads(sys.argv[3]), json.loads(sys.argv[4])
days = (date.fromisoformat(after["end"]) - date.fromisoformat(after["start"])).days + 1
problems = []
if answer.get("outcome", "answered") != "answered" or answer["plan"].get("insight") != "drivers":
    problems.append("not answered by drivers: %s %s" % (answer.get("outcome"), answer["plan"].get("insight")))
rows = answer.get("rows") or [[""]]
top = rows[0]
for want in (ls["usage_type_suffix"], ls["account"]):
    if want not in str(top[0]):
        problems.append("top driver '%s' does not name %s" % (top[0], want))
step = ls["daily_cost_after"] - ls["daily_cost_before"]
got = (top[2] - top[1]) / days if len(top) > 2 else float("nan")
if not abs(got - step) <= 0.1 * step:
    problems.append("the top driver's daily step is %.2f, the manifest's %.2f" % (got, step))
msg = answer.get("message", "")
for w in (before["start"], before["end"], after["start"], after["end"]):
    if w not in msg:
        problems.append("the narrative does not name %s" % w)
if "A day on average" not in msg:
    problems.append("the narrative gives no level before and after")
print("; ".join(problems) or "ok")
EOF
)
check_eq "Why? on the level shift names the manifest's driver and its daily step" ok "$verdict"

# The spikes: each question answered, its top driver in the manifest's account.
n=0
while IFS=$'\t' read -r kind question account service; do
	[ "$kind" = spike ] || continue
	n=$((n + 1))
	run finq "$DB" "${TODAY[@]}" ask --json "$question"
	top=$(printf '%s' "$OUT" | python3 -c 'import json,sys; a=json.load(sys.stdin); print((a.get("rows") or [[""]])[0][0])' 2>/dev/null)
	check_contains "Why? on the $service spike names account $account" "$top" "$account"
done <"$WORK/events.txt"
check_eq "both manifest spikes have a Why?" 2 "$n"

finish
