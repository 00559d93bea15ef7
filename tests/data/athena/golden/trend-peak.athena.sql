SELECT usage_date AS period, sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
  AND (service_code IN ('AmazonEC2'))
GROUP BY 1
HAVING sum(amortized_cost) <> 0
ORDER BY amortized_cost DESC, 1
LIMIT 1
