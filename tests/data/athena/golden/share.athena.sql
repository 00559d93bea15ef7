SELECT part AS amortized_cost, whole AS all_amortized_cost, round(100 * part / nullif(whole, 0), 2) AS share_pct
FROM (SELECT coalesce(sum(amortized_cost) FILTER (WHERE (service_code IN ('AmazonS3'))), 0) AS part, sum(amortized_cost) AS whole
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01')
