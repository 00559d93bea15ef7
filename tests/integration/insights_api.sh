#!/usr/bin/env bash
# insights_api.sh: the analyses of insight.h through the real `finq serve`
# on a free loopback port, over the dev data: GET /api/v1/insights lists
# them; each one listed runs with the result object's shape; the scope words
# (q) narrow it as they do on the command line (`finq NAME --json WORDS`
# gives the same result); unknown names are 404 and bad arguments 400
# naming the argument; the chat reads "any anomalies in October?" as the
# anomalies analysis and answers with its rows and charts, and follow-ups
# keep the context ("what about EC2?") or go back to the data ("break it
# down by region"). Analyses not yet in the build must be reported as such
# (the list says which are). The trap always stops the server it started.
set -u
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

DB=$WORK/dev.duckdb
TODAY=2025-12-04
KNOWN="anomalies architecture commitments drivers forecast knowledge owners recommend"
# shellcheck source=tests/integration/http.sh
. "$(dirname "$0")/http.sh"

# What every result object carries (insight.h), with name the analysis.
SHAPE='
name = sys.argv[3]
assert d["insight"] == name, d.get("insight")
for k in ("title", "message", "method"):
    assert isinstance(d[k], str), k
assert d["title"], "empty title"
for k in ("items", "columns", "rows", "charts", "sql", "suggestions"):
    assert isinstance(d[k], list), k
assert all(isinstance(r, list) and len(r) == len(d["columns"]) for r in d["rows"]), "rows and columns differ"
assert all(isinstance(s, str) and s.lstrip().upper().startswith(("SELECT", "WITH")) for s in d["sql"]), "sql"
if name != "knowledge":
    assert d["sql"], "no query recorded as evidence"
for c in d["charts"]:
    assert isinstance(c, dict) and c.get("type"), "chart without a type"
'

dev_data "$DB" cur2.parquet
check_eq "the dev data loads" 0 "$RC"

# The CLI's reading of the same words, before the server holds the database.
run "$FINQ" --db "$DB" --today "$TODAY" anomalies --json CloudWatch in October
CLI_ANOMALIES=$OUT
CLI_RC=$RC

start_server "$DB" || finish

req GET /api/v1/insights
check_eq "GET /api/v1/insights is 200" 200 "$STATUS"
check_py "the list names each analysis with a summary and its path, sorted, all known ones" '
known = sys.argv[3].split()
names = [i["name"] for i in d["insights"]]
assert names == sorted(names), names
for i in d["insights"]:
    assert i["name"] in known, i["name"]
    assert i["summary"], i["name"]
    assert i["path"] == "/api/v1/insights/" + i["name"], i["path"]
' "$KNOWN"
LISTED=$(jget '" ".join(i["name"] for i in d["insights"])')
printf '# analyses in this build: %s\n' "${LISTED:-none}"

for name in $LISTED; do
	q=
	[ "$name" = knowledge ] && q='?q=what%20is%20a%20savings%20plan'
	req GET "/api/v1/insights/$name$q"
	check_eq "GET /api/v1/insights/$name is 200" 200 "$STATUS"
	check_py "$name: the result object has the shape of insight.h" "$SHAPE" "$name"
done

# analyses not in the build: 404, and the chat says it cannot run them
for name in $KNOWN; do
	case " $LISTED " in *" $name "*) continue ;; esac
	req GET "/api/v1/insights/$name"
	check_error "$name is not in this build: 404" 404 not_found
done

req GET /api/v1/insights/nosuch
check_error "an unknown analysis is 404" 404 not_found
req GET "/api/v1/insights/forecast?months=abc"
check_error "months=abc is 400 naming months" 400 invalid_field months
req GET "/api/v1/insights/forecast?months=99"
check_error "months=99 is 400 naming months" 400 invalid_field months
req GET "/api/v1/insights/anomalies?limit=-1"
check_error "limit=-1 is 400 naming limit" 400 invalid_field limit
req GET "/api/v1/insights/anomalies?backtest=maybe"
check_error "backtest=maybe is 400 naming backtest" 400 invalid_field backtest
req GET "/api/v1/insights/anomalies?today=yesterday"
check_error "today=yesterday is 400 naming today" 400 invalid_field today
req POST /api/v1/insights
check_error "POST /api/v1/insights is 405" 405 method_not_allowed

case " $LISTED " in
*" anomalies "*)
	req GET "/api/v1/insights/anomalies?q=CloudWatch%20in%20October"
	check_py "q narrows the analysis: its SQL filters on AmazonCloudWatch" '
assert any("AmazonCloudWatch" in s for s in d["sql"]), d["sql"]'
	check_eq "finq anomalies --json CloudWatch in October succeeds" 0 "$CLI_RC"
	check_py "the API and the CLI read the same words the same way" '
cli = json.loads(sys.argv[3])
for k in ("title", "items", "rows", "sql"):
    assert cli[k] == d[k], k' "$CLI_ANOMALIES"
	first=$BODY
	req GET "/api/v1/insights/anomalies?q=CloudWatch%20in%20October"
	check_eq "asking again answers the same (from the cache)" "$first" "$BODY"
	;;
esac

req GET "/api/v1/insights/owners?q=vol-0000notthere0000"
check_error "an owner for an id not in the bill is 404 naming it" 404 not_found
check_contains "and the message names the id" "$(jget 'd["error"]["message"]')" "vol-0000notthere0000"

# ---- the chat ----

post_json /api/v1/chat '{"message": "who owns vol-0000notthere0000?", "today": "2025-12-04"}'
check_eq "chat: an owner question about an id not in the bill is 200, not an error" 200 "$STATUS"
check_py "chat: and the answer says the resource is not in the data" '
assert d["outcome"] == "refused", d["outcome"]
assert "no resource" in d["message"].lower() and "vol-0000notthere0000" in d["message"], d["message"]
assert d["rows"] == [], d["rows"]'

post_json /api/v1/chat '{"message": "any anomalies in October?", "today": "2025-12-04"}'
check_eq "chat: 'any anomalies in October?' is 200" 200 "$STATUS"
CONV=$(jget 'd["conversation_id"]')
check_py "chat: read as the anomalies analysis over October" '
p = d["plan"]
assert p["intent"] == "insight" and p["insight"] == "anomalies", p
assert p["range"]["start"] == "2025-10-01" and p["range"]["end"] == "2025-11-01", p["range"]
assert "October 2025" in d["interpretation"], d["interpretation"]'
case " $LISTED " in
*" anomalies "*)
	check_py "chat: the answer carries the analysis: message, rows, charts, SQL, its items" '
assert d["outcome"] == "answered", d["outcome"]
assert d["message"], "no message"
assert d["rows"] and d["columns"], "no rows"
assert d["charts"], "no charts"
assert isinstance(d["sql"], str) and "SELECT" in d["sql"].upper(), d["sql"]
assert d["insight"]["name"] == "anomalies" and isinstance(d["insight"]["items"], list), d.get("insight")'
	;;
*)
	check_py "chat: an analysis this build lacks is said so, no rows" '
assert d["outcome"] == "refused" and "not part of this build" in d["message"], d["message"]
assert d["rows"] == [] and d["sql"] is None'
	;;
esac

# (a turn finq could not answer is no context: these need the analysis)
case " $LISTED " in
*" anomalies "*)
	post_json /api/v1/chat "{\"message\": \"what about EC2?\", \"conversation_id\": \"$CONV\", \"today\": \"2025-12-04\"}"
	check_py "follow-up 'what about EC2?' keeps the analysis and October, now for EC2" '
p = d["plan"]
assert d["followup"] is True
assert p["intent"] == "insight" and p["insight"] == "anomalies", p
assert p["range"]["start"] == "2025-10-01", p["range"]
assert [f["values"] for f in p["filters"]] == [["AmazonEC2"]], p["filters"]'
	post_json /api/v1/chat "{\"message\": \"break it down by region\", \"conversation_id\": \"$CONV\", \"today\": \"2025-12-04\"}"
	check_py "follow-up 'break it down by region' goes back to a breakdown of the same scope" '
p = d["plan"]
assert p["intent"] == "breakdown" and p["group_by"]["dimension"] == "region", p
assert p["range"]["start"] == "2025-10-01", p["range"]
assert d["rows"] and d["outcome"] == "answered"'
	;;
esac

post_json /api/v1/chat '{"message": "EC2 cost in October", "today": "2025-12-04"}'
CONV=$(jget 'd["conversation_id"]')
post_json /api/v1/chat "{\"message\": \"any anomalies?\", \"conversation_id\": \"$CONV\", \"today\": \"2025-12-04\"}"
check_py "follow-up 'any anomalies?' after EC2 in October runs the analysis on EC2 in October" '
p = d["plan"]
assert p["intent"] == "insight" and p["insight"] == "anomalies", p
assert p["range"]["start"] == "2025-10-01", p["range"]
assert [f["values"] for f in p["filters"]] == [["AmazonEC2"]], p["filters"]'

post_json /api/v1/chat '{"message": "How can I reduce CloudWatch costs?", "today": "2025-12-04"}'
check_py "chat: 'How can I reduce CloudWatch costs?' is recommend, scoped to CloudWatch" '
p = d["plan"]
assert p["intent"] == "insight" and p["insight"] == "recommend", p
assert [f["values"] for f in p["filters"]] == [["AmazonCloudWatch"]], p["filters"]
cites = (d.get("insight") or {}).get("citations") or []
assert not cites or "knowledge base" in d["message"], "citations not in the message"'

post_json /api/v1/chat '{"message": "forecast our spend for next quarter", "today": "2025-12-04"}'
check_py "chat: a forecast for next quarter asks for 3 months" '
p = d["plan"]
assert p["insight"] == "forecast" and p["months"] == 3, p'

post_json /api/v1/plan '{"message": "what is my EC2 spend last month", "today": "2025-12-04"}'
check_py "a question about data stays a total, not the knowledge base" '
assert d["plan"]["intent"] == "total", d["plan"]'

finish
