SELECT count(*) AS count
FROM (SELECT usage_date
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
  AND (service_code IN ('AmazonEC2'))
  AND usage_date IS NOT NULL
GROUP BY 1
HAVING sum(amortized_cost) <> 0 AND sum(amortized_cost) > 400.000000) AS counted
