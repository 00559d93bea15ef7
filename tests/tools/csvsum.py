#!/usr/bin/env python3
"""csvsum: row count and cost totals of one raw billing export (CSV or
CSV.gz), computed straight from the file with the csv and gzip modules,
independently of finq's loader: the integration tests compare finq's loaded
totals against these.

usage: csvsum.py FILE [--header-from FILE]
prints one JSON object: {"format", "rows", "unblended", "amortized",
"providers", "first_date", "last_date"}

Quirks handled: a gzip stream (by magic bytes, not by name), a UTF-8 BOM,
Athena TEXTFILE (\\x01 separators, no quoting, \\N for NULL, maybe without
a header: --header-from names the file whose first line is the header),
the text NULL in FOCUS, Azure's Cost column and MM/DD/YYYY dates.
"""
import csv
import gzip
import io
import json
import sys


def read_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


def rows_of(text, header=None):
    """(header, list of dicts with None for NULL) of one file's text."""
    first = text.split("\n", 1)[0]
    if "\x01" in first:
        lines = [ln.rstrip("\r") for ln in text.split("\n")]
        lines = [ln for ln in lines if ln != ""]
        recs = [ln.split("\x01") for ln in lines]
        if header is None:
            header, recs = recs[0], recs[1:]
        null = {"\\N", ""}
    else:
        recs = list(csv.reader(io.StringIO(text, newline="")))
        recs = [r for r in recs if r]
        if header is None:
            header, recs = recs[0], recs[1:]
        null = {"", "NULL"}
    out = []
    for r in recs:
        if len(r) != len(header):
            raise SystemExit("csvsum: %d fields where the header has %d" % (len(r), len(header)))
        out.append({h: (None if v in null else v) for h, v in zip(header, r)})
    return header, out


def pick(header, *names):
    for n in names:
        if n in header:
            return n
    return None


def num(v):
    return float(v) if v is not None else 0.0


def cur_amortized(row, col):
    """CONVENTIONS.md, amortized cost of a CUR line item, by type."""
    def get(key):
        c = col.get(key)
        return num(row.get(c)) if c else 0.0
    t = row.get(col["type"])
    unblended = get("unblended")
    if t == "SavingsPlanCoveredUsage":
        return get("sp_effective")
    if t == "SavingsPlanRecurringFee":
        return get("sp_total_commitment") - get("sp_used_commitment")
    if t in ("SavingsPlanNegation", "SavingsPlanUpfrontFee"):
        return 0.0
    if t == "DiscountedUsage":
        return get("ri_effective")
    if t == "RIFee":
        return get("ri_unused_upfront") + get("ri_unused_recurring")
    if t == "Fee" and col.get("ri_arn") and row.get(col["ri_arn"]):
        return 0.0
    return unblended


def iso_date(v):
    """The date part of a timestamp, as YYYY-MM-DD (MM/DD/YYYY too)."""
    d = v.strip().split(" ")[0].split("T")[0]
    if "/" in d:
        m, day, y = d.split("/")
        return "%04d-%02d-%02d" % (int(y), int(m), int(day))
    return d


def main(argv):
    path = argv[1]
    header = None
    if len(argv) == 4 and argv[2] == "--header-from":
        header = rows_of(read_text(argv[3]))[0]
    header, rows = rows_of(read_text(path), header)
    res = {"rows": len(rows)}
    if pick(header, "lineItem/UnblendedCost", "line_item_unblended_cost"):
        res["format"] = "cur"
        col = {
            "unblended": pick(header, "lineItem/UnblendedCost", "line_item_unblended_cost"),
            "type": pick(header, "lineItem/LineItemType", "line_item_line_item_type"),
            "date": pick(header, "lineItem/UsageStartDate", "line_item_usage_start_date"),
            "sp_effective": pick(header, "savingsPlan/SavingsPlanEffectiveCost",
                                 "savings_plan_savings_plan_effective_cost"),
            "sp_total_commitment": pick(header, "savingsPlan/TotalCommitmentToDate",
                                        "savings_plan_total_commitment_to_date"),
            "sp_used_commitment": pick(header, "savingsPlan/UsedCommitment",
                                       "savings_plan_used_commitment"),
            "ri_effective": pick(header, "reservation/EffectiveCost", "reservation_effective_cost"),
            "ri_unused_upfront": pick(header, "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
                                      "reservation_unused_amortized_upfront_fee_for_billing_period"),
            "ri_unused_recurring": pick(header, "reservation/UnusedRecurringFee",
                                        "reservation_unused_recurring_fee"),
            "ri_arn": pick(header, "reservation/ReservationARN", "reservation_reservation_a_r_n"),
        }
        res["unblended"] = sum(num(r[col["unblended"]]) for r in rows)
        res["amortized"] = sum(cur_amortized(r, col) for r in rows)
        res["providers"] = ["AWS"]
    elif pick(header, "BilledCost"):
        res["format"] = "focus"
        col = {"date": "ChargePeriodStart"}
        res["unblended"] = sum(num(r["BilledCost"]) for r in rows)
        res["amortized"] = sum(num(r.get("EffectiveCost", r["BilledCost"])) for r in rows)
        res["providers"] = sorted({r["ProviderName"] for r in rows if r.get("ProviderName")})
    elif pick(header, "Cost", "CostInBillingCurrency"):
        res["format"] = "azure"
        cost = pick(header, "Cost", "CostInBillingCurrency")
        col = {"date": "Date"}
        res["unblended"] = sum(num(r[cost]) for r in rows)
        res["amortized"] = res["unblended"]
        res["providers"] = ["Azure"]
    else:
        raise SystemExit("csvsum: no cost column in %s" % path)
    dates = sorted(iso_date(r[col["date"]]) for r in rows if r.get(col["date"]))
    res["first_date"] = dates[0] if dates else None
    res["last_date"] = dates[-1] if dates else None
    json.dump(res, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
