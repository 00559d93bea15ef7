#!/usr/bin/env bash
# load_real.sh: every real export under shared/data/real loads, each file
# into a database of its own, and the wal-licensing and wal-workshop folders
# as wholes; for each, finq's row count, unblended and amortized totals and
# first and last usage day equal what is computed straight from the raw file,
# independently of finq:
#   - CSV / CSV.gz: tests/tools/csvsum.py (python3's csv and gzip modules;
#     BOM, \x01 and \N, the text NULL, Azure's Cost, MM/DD/YYYY)
#   - Parquet: tests/tools/rawsum.c, compiled here against libduckdb, which
#     sums the export's own columns with read_parquet
# Totals within 1e-6 relative. Then the quirks: the headerless AfterCUR.csv.gz
# fails alone with a message about its header and loads with --header-from or
# next to BeforeCUR; FOCUS providers; Athena tag columns; Azure's brace-less
# JSON tags, BOM and MM/DD/YYYY dates; no NULL spelling left as text.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

REAL=$DATA/real
REL=1e-6
LICENSING=$REAL/wal-licensing-cur-csv
WORKSHOP=$REAL/wal-workshop-cur-parquet

# ---- the independent summers ----
RAWSUM=$WORK/rawsum
duckdb_flags=()
if [ -f "$REPO/deps/duckdb/include/duckdb.h" ]; then
	duckdb_flags=(-isystem "$REPO/deps/duckdb/include" "-L$REPO/deps/duckdb" "-Wl,-rpath,$REPO/deps/duckdb")
fi
if cc -std=c17 -Wall -Wextra -Werror -O1 -o "$RAWSUM" "$TOOLS/rawsum.c" "${duckdb_flags[@]}" -lduckdb 2>"$WORK/rawsum.err"; then
	ok "rawsum compiles against libduckdb"
else
	not_ok "rawsum compiles against libduckdb" "$(head -c 400 "$WORK/rawsum.err")"
fi

# raw_sums FILE [--header-from FILE]: "rows unblended amortized first last"
raw_sums() {
	if [ "$(head -c 4 "$1" | tr -d '\0')" = "PAR1" ]; then
		"$RAWSUM" "$1"
	else
		python3 "$TOOLS/csvsum.py" "$@" |
			python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["rows"], repr(d["unblended"]), repr(d["amortized"]), d["first_date"], d["last_date"])'
	fi
}

# add_sums "A" "B": the field-wise total of two raw_sums lines (days: min, max).
add_sums() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		printf "%d %.17g %.17g %s %s\n", x[1] + y[1], x[2] + y[2], x[3] + y[3],
			(x[4] < y[4] ? x[4] : y[4]), (x[5] > y[5] ? x[5] : y[5]) }'
}

# The rows where a text column holds a spelling of NULL.
NULL_TEXT="(SELECT count(*) FROM costs WHERE
	'NULL' IN (account_id, service_code, service_name, region, availability_zone, usage_type, operation,
	           resource_id, charge_type, usage_unit, currency, payer_account_id, commitment_id)
	OR '\\N' IN (account_id, service_code, service_name, region, availability_zone, usage_type, operation,
	           resource_id, charge_type, usage_unit, currency, payer_account_id, commitment_id))"

# compare LABEL DB "rows unblended amortized first last" [null-text] [, EXTRA...]:
# the totals against the raw file's and, with null-text, no spelling of NULL
# left as text; in one finq process, which also answers the further columns
# EXTRA (", (SELECT ...) AS x, ..."): they are COLS[6], COLS[7]... after it.
compare() {
	local label=$1 db=$2 rows unblended amortized first last
	read -r rows unblended amortized first last <<<"$3"
	sql_cols "$db" "SELECT count(*), sum(unblended_cost), sum(amortized_cost), min(usage_date), max(usage_date),
		$NULL_TEXT ${5:-} FROM costs"
	check_eq "$label: rows as in the raw file" "$rows" "${COLS[0]:-}"
	check_rel "$label: unblended total as in the raw file" "$unblended" "${COLS[1]:-}" $REL
	check_rel "$label: amortized total as in the raw file" "$amortized" "${COLS[2]:-}" $REL
	check_eq "$label: first and last usage day as in the raw file" "$first $last" "${COLS[3]:-} ${COLS[4]:-}"
	if [ "${4:-}" = null-text ]; then
		check_eq "$label: no 'NULL' or '\\N' left as text" 0 "${COLS[5]:-}"
	fi
}

declare -A FORMAT=(
	[azure-ea-cost-small/EA_ActualCost_Small.csv]=azure-csv
	[azure-ea-cost-small/EA_AmortizedCost_Small.csv]=azure-csv
	[focus10-sample/focus_sample.csv]=focus-csv
	[focusconv-aws-cur-csv/sample-anonymous-aws-export-dataset.csv]=cur1-csv
	[wal-licensing-cur-csv/BeforeCUR.csv.gz]=cur1-athena-csv.gz
	[wal-licensing-cur-csv/AfterCUR.csv.gz]=cur1-athena-csv.gz
	[wal-workshop-cur-parquet/Oct2018-WorkshopCUR-00001.snappy.parquet]=cur1-athena-parquet
	[wal-workshop-cur-parquet/Nov2018-WorkshopCUR-00001.snappy.parquet]=cur1-athena-parquet
	[wal-workshop-cur-parquet/Dec2018-WorkshopCUR-00001.snappy.parquet]=cur1-athena-parquet
)

# ---- each file on its own ----
n=0
while IFS= read -r f; do
	rel=${f#"$REAL"/}
	db=$WORK/$(tr '/.' '__' <<<"$rel").duckdb
	n=$((n + 1))
	if [ "$rel" = wal-licensing-cur-csv/AfterCUR.csv.gz ]; then
		# No header: alone it cannot be read, and must say so.
		run finq "$db" load "$f"
		check_eq "$rel alone: refused as bad input" 3 "$RC"
		check_contains "$rel alone: the message is about its header" "$ERR" "header"
		check_contains "$rel alone: the message names the file" "$ERR" "AfterCUR.csv.gz"
		check_contains "$rel alone: the message suggests --header-from" "$ERR" "--header-from"
		check_eq "$rel alone: nothing loaded" "" "$(sql_row "$db" "SELECT count(*) FROM costs WHERE true" | grep -v '^0$')"
		run finq "$db" load --json --header-from "$LICENSING/BeforeCUR.csv.gz" "$f"
		check_eq "$rel --header-from BeforeCUR.csv.gz: loads" 0 "$RC"
		want=$(raw_sums "$f" --header-from "$LICENSING/BeforeCUR.csv.gz")
	else
		run finq "$db" load --json "$f"
		check_eq "$rel: loads" 0 "$RC"
		want=$(raw_sums "$f")
	fi
	[ "$RC" -eq 0 ] || echo "# $rel: $ERR"
	check_eq "$rel: detected as ${FORMAT[$rel]:-?}" "${FORMAT[$rel]:-?}" "$(json_get formats "$OUT")"
	compare "$rel" "$db" "$want" null-text
done < <(find "$REAL" -type f | sort)
check_eq "every file under data/real was tried" "${#FORMAT[@]}" "$n"

# ---- folders as wholes ----
D=$WORK/licensing.duckdb
run finq "$D" load --json "$LICENSING"
check_eq "wal-licensing folder: loads (AfterCUR borrows BeforeCUR's header)" 0 "$RC"
check_eq "wal-licensing folder: two files" 2 "$(json_get files "$OUT")"
# The two exports overlap by two hours (2019-11-26 22:00 and 23:00): the
# line items both hold count once (src/loaddup.c). The expected sums come
# from the line-item identity (identity_line_item_id + time interval):
# BeforeCUR, plus the AfterCUR lines BeforeCUR does not have.
python3 - "$LICENSING/BeforeCUR.csv.gz" "$LICENSING/AfterCUR.csv.gz" "$WORK/after-only.csv.gz" <<'EOF'
import gzip, sys
before = gzip.open(sys.argv[1], "rt", encoding="utf-8").read().split("\n")
seen = {tuple(ln.split("\x01")[:2]) for ln in before[1:] if ln}
after = [ln for ln in gzip.open(sys.argv[2], "rt", encoding="utf-8").read().split("\n") if ln]
with gzip.open(sys.argv[3], "wt", encoding="utf-8") as out:
    out.write("".join(ln + "\n" for ln in after if tuple(ln.split("\x01")[:2]) not in seen))
EOF
compare "wal-licensing folder" "$D" \
	"$(add_sums "$(raw_sums "$LICENSING/BeforeCUR.csv.gz")" "$(raw_sums "$WORK/after-only.csv.gz" --header-from "$LICENSING/BeforeCUR.csv.gz")")" \
	null-text ", (SELECT count(DISTINCT source) FROM costs),
	(SELECT string_agg(DISTINCT k, '|' ORDER BY k) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs))"
check_contains "wal-licensing folder: says which rows counted once" "$ERR" "skipped 909 rows of"
check_eq "wal-licensing folder: both files are sources" 2 "${COLS[6]:-}"
keys=${COLS[7]:-}
check_contains "wal-licensing: tag keys from resource_tags_user_* columns" "|$keys|" "|cost_center|"
check_not_contains "wal-licensing: no user_ prefix on tag keys" "|$keys" "|user"

W=$WORK/workshop.duckdb
run finq "$W" load --json "$WORKSHOP"
check_eq "wal-workshop folder: loads (columns drift 124/126/120)" 0 "$RC"
check_eq "wal-workshop folder: three files" 3 "$(json_get files "$OUT")"
want=$("$RAWSUM" "$WORKSHOP"/*.parquet | awk '{ r += $1; u += $2; a += $3; if (!f || $4 < f) f = $4; if ($5 > l) l = $5 }
	END { printf "%d %.17g %.17g %s %s\n", r, u, a, f, l }')
compare "wal-workshop folder" "$W" "$want" "" ",
	(SELECT string_agg(DISTINCT billing_period::VARCHAR, '|' ORDER BY billing_period::VARCHAR) FROM costs),
	(SELECT string_agg(DISTINCT k, '|' ORDER BY k) FROM (SELECT unnest(map_keys(tags)) AS k FROM costs)),
	(SELECT count(*) FROM costs WHERE cardinality(tags) > 0),
	(SELECT count(*) FROM (SELECT unnest(map_values(tags)) AS v FROM costs) WHERE v = '')"
check_eq "wal-workshop folder: three billing periods" "2018-10-01|2018-11-01|2018-12-01" "${COLS[6]:-}"
keys=${COLS[7]:-}
check_contains "wal-workshop: tag keys from resource_tags_user_* columns (cost_center)" "|$keys|" "|cost_center|"
check_contains "wal-workshop: tag keys from resource_tags_user_* columns (environment)" "|$keys|" "|environment|"
check_not_contains "wal-workshop: no user_ prefix on tag keys" "|$keys" "|user"
check_ne "wal-workshop: some rows carry tags" 0 "${COLS[8]:-0}"
check_eq "wal-workshop: tag values are not empty strings" 0 "${COLS[9]:-}"

# ---- quirks, file by file ----
db_of() { echo "$WORK/$(tr '/.' '__' <<<"$1").duckdb"; }

FOCUS_DB=$(db_of focus10-sample/focus_sample.csv)
sql_cols "$FOCUS_DB" "SELECT (SELECT string_agg(DISTINCT provider, '|' ORDER BY provider) FROM costs),
	(SELECT count(*) FROM costs WHERE cardinality(tags) > 0),
	(SELECT bool_or(amortized_cost <> unblended_cost) FROM costs),
	(SELECT string_agg(DISTINCT date_trunc('month', usage_date)::DATE::VARCHAR, '|') FROM costs),
	(SELECT string_agg(p || ':' || n, '|' ORDER BY p) FROM
		(SELECT billing_period::VARCHAR AS p, count(*)::VARCHAR AS n FROM costs GROUP BY 1))"
providers=${COLS[0]:-}
check_contains "FOCUS sample: provider AWS" "|$providers|" "|AWS|"
check_match "FOCUS sample: a Microsoft/Azure provider" "$providers" "microsoft|azure"
want_providers=$(python3 "$TOOLS/csvsum.py" "$REAL/focus10-sample/focus_sample.csv" |
	python3 -c 'import json, sys; print("|".join(json.load(sys.stdin)["providers"]))')
check_eq "FOCUS sample: providers as in the raw file" "$want_providers" "$providers"
check_ne "FOCUS sample: JSON Tags parsed on some rows" 0 "${COLS[1]:-0}"
check_eq "FOCUS sample: EffectiveCost differs from BilledCost somewhere" true "${COLS[2]:-}"
check_eq "FOCUS sample: timestamps without T/Z land in September 2024" "2024-09-01" "${COLS[3]:-}"
# One Oracle row says BillingPeriodStart 2024-10-01 in the raw file.
check_eq "FOCUS sample: billing periods from BillingPeriodStart" "2024-09-01:999|2024-10-01:1" "${COLS[4]:-}"

actual_tags=
for which in ActualCost AmortizedCost; do
	AZ=$(db_of "azure-ea-cost-small/EA_${which}_Small.csv")
	sql_cols "$AZ" "SELECT (SELECT date_trunc('month', min(usage_date))::DATE FROM costs),
		(SELECT date_trunc('month', max(usage_date))::DATE FROM costs),
		(SELECT string_agg(DISTINCT billing_period::VARCHAR, '|') FROM costs),
		(SELECT count(*) FROM costs WHERE cardinality(tags) > 0),
		(SELECT string_agg(DISTINCT provider, '|') FROM costs),
		(SELECT count(*) FROM costs WHERE payer_account_id IS NULL),
		(SELECT count(*) > 0 FROM costs WHERE tags['cost_center'] = '1234' AND tags['env'] = 'prod')"
	check_eq "Azure $which: MM/DD/YYYY dates land in September 2023" "2023-09-01 2023-09-01" "${COLS[0]:-} ${COLS[1]:-}"
	check_eq "Azure $which: billing period September 2023" "2023-09-01" "${COLS[2]:-}"
	check_ne "Azure $which: brace-less JSON tags parsed on some rows" 0 "${COLS[3]:-0}"
	check_eq "Azure $which: provider Azure" "Azure" "${COLS[4]:-}"
	# The first header field follows the BOM: BillingAccountId must be read.
	check_eq "Azure $which: BillingAccountId (after the BOM) read on every row" 0 "${COLS[5]:-}"
	[ "$which" = ActualCost ] && actual_tags=${COLS[6]:-}
done
check_eq "Azure: tag keys normalised (CostCenter -> cost_center)" 1 "${actual_tags//true/1}"

CUR1=$(db_of focusconv-aws-cur-csv/sample-anonymous-aws-export-dataset.csv)
sql_cols "$CUR1" "SELECT (SELECT string_agg(DISTINCT charge_type, '|' ORDER BY charge_type) FROM costs),
	(SELECT count(*) FROM costs WHERE cardinality(tags) > 0)"
check_eq "focusconv CUR 1.0: taxes and usage both present" "Tax|Usage" "${COLS[0]:-}"
check_eq "focusconv CUR 1.0: no tag columns, no tags" 0 "${COLS[1]:-}"

ATHENA=$(db_of wal-workshop-cur-parquet/Oct2018-WorkshopCUR-00001.snappy.parquet)
check_eq "Athena Parquet: RI amortization (DiscountedUsage gets its effective cost)" true \
	"$(sql_row "$ATHENA" "SELECT sum(amortized_cost) > 0 AND sum(unblended_cost) = 0 FROM costs WHERE charge_type = 'DiscountedUsage'")"

finish
