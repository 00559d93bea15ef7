SELECT coalesce(service_code, '(none)') AS service, arbitrary(service_name) AS service_name, sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost) / nullif(sum(sum(amortized_cost)) OVER (), 0), 2) AS share_pct
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
  AND (cardinality(map_filter(tags, (k, v) -> NOT starts_with(k, 'aws_'))) = 0)
GROUP BY 1
HAVING sum(amortized_cost) <> 0
ORDER BY amortized_cost DESC, 1
