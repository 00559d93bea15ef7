#!/usr/bin/env bash
# followup_dates.sh: a follow-up keeps the dates the previous answer used
# when they were not its question's, and says so (src/service/ask.c
# context_json, ask_previous_from_json; src/service/conversation.c).
# Two ways an answer moves dates (docs/periods.md):
#  - "the last 30 days" asked on 2025-12-04, four days after the data
#    ended, compares the same days (Nov 4-30 against Oct 5-31); its
#    follow-ups read the loaded days, Nov 4-30, not the 30 days again (a
#    "compare with the previous period" read 27 days against 30: "down
#    22.6%");
#  - "last month" asked on 2026-03-01 of data that ends 2025-11-30 is moved
#    to November 2025; "what about the month before" is then October 2025
#    (it re-read February 2026, whose month before moved to November again).
# A follow-up of an answer that used its question's dates says nothing.
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
dev_data "$DB" cur2.parquet
check_eq "dev data loads" 0 "$RC"

# ask TODAY QUESTION: one turn, continuing the conversation of the last one
# (CONV empty: a new one); sets OUT, MESSAGE, CONV
CONV=
ask() {
	local today=$1 question=$2
	if [ -n "$CONV" ]; then
		run finq "$DB" --today "$today" ask --json --conversation "$CONV" "$question"
	else
		run finq "$DB" --today "$today" ask --json "$question"
	fi
	CONV=$(json_get conversation_id "$OUT")
	MESSAGE=$(json_get message "$OUT")
}
# range: "start end" of the last answer's plan (periods[i] with an argument)
range() {
	python3 -c '
import json, sys
p = json.loads(sys.argv[1])["plan"]
r = p["periods"][int(sys.argv[2])] if len(sys.argv) > 2 else p["range"]
print(r["start"], r["end"])' "$OUT" "$@" 2>/dev/null
}
sum_sql() {
	sql_row "$DB" "SELECT round(sum(amortized_cost), 2) FROM costs WHERE usage_date BETWEEN '$1' AND '$2'"
}
rows_sum() {
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
i = d["columns"].index("amortized_cost")
print(round(sum(r[i] for r in d["rows"]), 2))' "$OUT" 2>/dev/null
}

# --- the same days: the last 30 days as loaded ---------------------------
ask 2025-12-04 "last 30 days"
check_contains "the first answer compares the same days" "$MESSAGE" "The change compares the same days: Nov 4-30 against Oct 5-31."
ask 2025-12-04 "by service"
check_eq "by service exits 0" 0 "$RC"
check_eq "the follow-up reads the loaded days" "2025-11-04 2025-12-01" "$(range)"
check_contains "and says so first" "$MESSAGE" \
	"Dates as in the previous answer: the last 30 days as loaded (2025-11-04 to 2025-11-30)."
check_contains "periods_note.carried in the JSON" "$(json_get periods_note "$OUT")" "Dates as in the previous answer"
check_close "its services add up to Nov 4-30" "$(sum_sql 2025-11-04 2025-11-30)" "$(rows_sum)" 0.01
ask 2025-12-04 "compare with the previous period"
check_eq "compare: the later period is the loaded days" "2025-11-04 2025-12-01" "$(range 1)"
check_eq "against as many days before" "2025-10-08 2025-11-04" "$(range 0)"
check_not_contains "not 27 days against 30" "$MESSAGE" "22.6%"

# --- moved to the data's latest period ------------------------------------
CONV=
ask 2026-03-01 "last month"
check_contains "the first answer moves February 2026 to November 2025" "$MESSAGE" \
	"\"February 2026\" is read as November 2025"
ask 2026-03-01 "by service"
check_eq "by service keeps November 2025" "2025-11-01 2025-12-01" "$(range)"
check_contains "and says so" "$MESSAGE" "Dates as in the previous answer: November 2025 (2025-11-01 to 2025-11-30)."
check_not_contains "not moved again" "$MESSAGE" "long before today"
ask 2026-03-01 "what about the month before"
check_eq "the month before is October 2025" "2025-10-01 2025-11-01" "$(range)"
check_not_contains "read from November, not from February 2026" "$MESSAGE" "January 2026"

# --- nothing to say ----------------------------------------------------------
CONV=
ask 2025-12-04 "last month"
ask 2025-12-04 "by service"
check_not_contains "the question's own dates: no note" "$MESSAGE" "Dates as in the previous answer"
check_eq "and November 2025" "2025-11-01 2025-12-01" "$(range)"

finish
