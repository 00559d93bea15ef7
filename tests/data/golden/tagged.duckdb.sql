SELECT sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01'
  AND (NOT (len(list_filter(map_keys(tags), k -> NOT starts_with(k, 'aws_'))) = 0))
