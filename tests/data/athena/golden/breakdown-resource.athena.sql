SELECT * FROM (SELECT coalesce(resource_id, '(none)') AS resource, sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost) / nullif(sum(sum(amortized_cost)) OVER (), 0), 2) AS share_pct, sum(sum(amortized_cost)) OVER () AS all_amortized_cost
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
  AND (service_code IN ('AmazonS3'))
GROUP BY 1
HAVING sum(amortized_cost) <> 0) AS parts
WHERE TRUE AND resource <> '(none)'
ORDER BY amortized_cost DESC, 1
LIMIT 10
