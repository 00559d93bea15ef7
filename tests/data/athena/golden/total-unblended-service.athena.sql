SELECT sum(unblended_cost) AS unblended_cost
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
  AND (service_code IN ('AmazonEC2'))
