#!/usr/bin/env bash
# Checks that the Trino SQL finq sends to Athena (tests/data/athena/golden)
# parses in Trino's grammar: dt-sql-parser's TrinoSql parser, generated
# from Trino's own ANTLR grammar, from the npm registry (installed into
# scripts/trino_parse/node_modules on first use). Parsing is all it checks:
# names, types and functions are Athena's to resolve (docs/engines.md).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=scripts/trino_parse
if [ ! -d "$dir/node_modules/dt-sql-parser" ]; then
	echo "trino_parse: installing dt-sql-parser (npm ci in $dir)" >&2
	(cd "$dir" && npm ci --no-audit --no-fund --silent)
fi
exec node --import "./$dir/register.mjs" "$dir/check.mjs" "${1:-tests/data/athena/golden}"
