SELECT sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
  AND (NOT (cardinality(map_filter(tags, (k, v) -> NOT starts_with(k, 'aws_'))) = 0))
