#!/usr/bin/env bash
# cluster.sh: finq on a two-shard ClickHouse cluster (--engine; docs/engines.md)
# gives the answers it gives on DuckDB.
#   - scripts/cluster.sh starts two shards in this script's folder (always
#     stopped at exit); the dev data loads into them, and each shard holds
#     part of the rows
#   - monthly totals match the dev data's manifest to the cent
#   - the dev evaluation passes in full, and every case's last table has
#     the same rows as on DuckDB
#   - every analysis, and finq info, returns the same findings as on DuckDB
#   - the engine's user is read-only; a reload replaces (no row twice), a
#     load that fails changes nothing, a stopped shard is an error, never a
#     partial sum
# Skips (one "ok - skipped" line) only when clickhouse-server is missing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ]; then
	ok "skipped: clickhouse-server is not installed (scripts/deps.sh installs it)"
	finish
fi

CL=$WORK/cluster
STATE=$WORK/state.duckdb
DUCK=$WORK/duck.duckdb
TODAY=2025-12-04
previous_exit=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "\"$REPO/scripts/cluster.sh\" down \"$CL\" >/dev/null 2>&1; $previous_exit" EXIT

if ! URL=$("$REPO/scripts/cluster.sh" up "$CL" 2>"$WORK/cluster.err"); then
	not_ok "the cluster starts" "$(cat "$WORK/cluster.err")"
	finish
fi
ok "the cluster starts: $URL"
BASE=$(cat "$CL/base")
export FINQ_ENGINE=$URL

# shard_rows N: rows in shard N's costs_local (its HTTP port is BASE+3(N-1)+1)
shard_rows() {
	curl -sS "http://127.0.0.1:$((BASE + 3 * ($1 - 1) + 1))/?user=finq_writer" \
		--data-binary "SELECT count() FROM finq.costs_local" 2>&1
}
# total: rows and amortized sum the questions see
total() {
	"$FINQ" --db "$STATE" sql --csv "SELECT count(*), round(sum(amortized_cost), 4) FROM costs" 2>&1 | sed -n 2p
}

run "$FINQ" --db "$STATE" load --no-progress "$DATA/cur-dev/cur2.parquet"
check_eq "the dev data loads into the cluster" 0 "$RC"
check_contains "the load reports its rows" "$OUT" "loaded 161869 rows"
dev_data "$DUCK" cur2.parquet # the same data on DuckDB, to compare with

s1=$(shard_rows 1)
s2=$(shard_rows 2)
check "each shard holds part of the rows ($s1 + $s2)" test "$s1" -gt 0 -a "$s2" -gt 0 -a $((s1 + s2)) -eq 161869

months=$("$FINQ" --db "$STATE" sql --csv --max-rows 0 \
	"SELECT toString(billing_period), count(*), sum(amortized_cost), sum(unblended_cost) FROM costs GROUP BY billing_period ORDER BY billing_period" 2>&1)
why=$(python3 - "$DATA/cur-dev/manifest.json" "$months" <<'PY' 2>&1
import csv, io, json, sys
truth = json.load(open(sys.argv[1]))["months"]
rows = list(csv.reader(io.StringIO(sys.argv[2])))[1:]
got = {r[0]: r[1:] for r in rows}
assert sorted(got) == sorted(truth), f"months {sorted(got)} != {sorted(truth)}"
for month, t in truth.items():
    n, amortized, unblended = got[month]
    assert int(n) == t["rows"], f"{month}: {n} rows, not {t['rows']}"
    for name, value in (("amortized", amortized), ("unblended", unblended)):
        assert abs(float(value) - t[name]) < 0.005, f"{month} {name}: {value} != {t[name]}"
PY
)
if [ -z "$why" ]; then ok "monthly totals match the manifest to the cent"; else not_ok "monthly totals match the manifest to the cent" "$why"; fi

# The evaluation and the comparison ask one server per engine (eval_serve.py:
# run_eval.py's checks, over POST /api/v1/chat) instead of a finq process
# per turn: three processes per case (0.12 s each, 0.35 s under ASan)
# made this script the suite's longest.
CASES=$(dev_cases)
run python3 "$REPO/tests/integration/eval_serve.py" "$SHARED/eval/run_eval.py" "$CASES" \
	--finq "$FINQ" --db "$STATE" --rows-out "$WORK/rows.cluster.json" --log "$WORK/eval-cluster.log"
ncases=$(grep -c . "$CASES")
check_contains "the dev evaluation passes on the cluster ($ncases cases)" "$OUT" "$ncases passed, 0 failed"
check_contains "the evaluation's server on the cluster stops cleanly" "$(tail -n 1 <<<"$OUT")" "server: exit 0, sanitizer report: no"
# the same cases on DuckDB, for their last tables (ask.sh checks the answers themselves)
FINQ_ENGINE='' run python3 "$REPO/tests/integration/eval_serve.py" "$SHARED/eval/run_eval.py" "$CASES" \
	--finq "$FINQ" --db "$DUCK" --rows-out "$WORK/rows.duck.json" --log "$WORK/eval-duck.log"
check_contains "the evaluation's server on DuckDB stops cleanly" "$(tail -n 1 <<<"$OUT")" "server: exit 0, sanitizer report: no"

# the last turn's rows of every dev case, on both engines
why=$(python3 - "$WORK/rows.duck.json" "$WORK/rows.cluster.json" "$CASES" <<'PY' 2>&1
import json, sys
duck, cluster = (json.load(open(p)) for p in sys.argv[1:3])
def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-6 * max(1, abs(a))
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b
bad = []
for line in open(sys.argv[3]):
    case = json.loads(line)
    a, b = duck.get(case["id"]), cluster.get(case["id"])
    if a is None or b is None:  # no answer: a failed turn, on either engine
        bad.append(f"{case['id']}: no rows from {'DuckDB' if a is None else 'the cluster'}")
    elif not same(a, b):
        bad.append(f"{case['id']}: {str(a)[:150]} != {str(b)[:150]}")
assert not bad, "; ".join(bad[:3]) + f" ({len(bad)} cases)"
PY
)
if [ -z "$why" ]; then ok "every dev case has the same rows on DuckDB and on the cluster"; else not_ok "every dev case has the same rows on DuckDB and on the cluster" "$why"; fi

for analysis in anomalies drivers forecast recommend architecture owners commitments info; do
	"$FINQ" --engine= --db "$DUCK" --today "$TODAY" --json "$analysis" >"$WORK/$analysis.duck.json" 2>&1
	"$FINQ" --db "$STATE" --today "$TODAY" --json "$analysis" >"$WORK/$analysis.ch.json" 2>&1
	why=$(python3 - "$WORK/$analysis.duck.json" "$WORK/$analysis.ch.json" <<'PY' 2>&1
import json, sys
def load(path):
    try:
        return json.load(open(path))
    except ValueError:
        raise SystemExit(open(path).read()[:300])
def diff(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            if k not in ("sql", "elapsed_ms"):
                diff(a.get(k), b.get(k), path + "/" + k, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items, not {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if abs(a - b) > max(0.01, 1e-6 * abs(a)):
            out.append(f"{path}: {a} != {b}")
    elif a != b:
        out.append(f"{path}: {str(a)[:80]} != {str(b)[:80]}")
a, b = load(sys.argv[1]), load(sys.argv[2])
out = []
diff(a, b, "", out)
found = len(a.get("items") or a.get("rows") or a.get("months") or []) if isinstance(a, dict) else 0
assert not out, "; ".join(out[:3])
print(found)
PY
)
	if [[ "$why" =~ ^[0-9]+$ ]]; then
		ok "$analysis: the same findings on both engines ($why items)"
	else
		not_ok "$analysis: the same findings on both engines" "$why"
	fi
done

run "$FINQ" --db "$STATE" sql "INSERT INTO generations VALUES (today(), 'x', 1, now(), 0)"
check_ne "the query user cannot write" 0 "$RC"
check_contains "the server says it is read-only" "$ERR" "readonly"

before=$(total)
run "$FINQ" --db "$STATE" load --no-progress "$DATA/cur-dev/cur2.parquet"
check_contains "a reload replaces the billing periods" "$OUT" "replaced 161869 rows"
check_eq "after a reload every row counts once" "$before" "$(total)"
check_eq "the replaced generation's rows are gone from the shards" 161869 $(($(shard_rows 1) + $(shard_rows 2)))

printf 'not,a,bill\n1,2,3\n' >"$WORK/bad.csv"
run "$FINQ" --db "$STATE" load --no-progress "$DATA/cur-dev/cur2.parquet" "$WORK/bad.csv"
check_ne "a load with a bad file fails" 0 "$RC"
check_eq "a failed load changes nothing" "$before" "$(total)"

"$REPO/scripts/cluster.sh" stop-shard "$CL" 2
run "$FINQ" --db "$STATE" --today "$TODAY" ask "total cost last month"
check_ne "a question with a shard down fails" 0 "$RC"
check_contains "and says a shard is unavailable" "$ERR" "shard of the ClickHouse cluster is unavailable"
check_not_contains "and prints no partial total" "$OUT" "\$"
run "$FINQ" --db "$STATE" load --no-progress "$DATA/cur-dev/cur2.parquet"
check_ne "a load with a shard down fails" 0 "$RC"
check_contains "and names the shard" "$ERR" "shard 2"
finish
