SELECT count(*) AS count
FROM (SELECT resource_id
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
  AND (service_code IN ('AmazonS3'))
  AND resource_id IS NOT NULL
GROUP BY 1
HAVING sum(amortized_cost) <> 0) AS counted
