SELECT count(*) AS count
FROM (SELECT service_code
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
  AND service_code IS NOT NULL
GROUP BY 1
HAVING sum(amortized_cost) <> 0 AND sum(amortized_cost) > 1000.000000) AS counted
