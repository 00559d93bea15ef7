SELECT sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= date '2025-01-01' AND usage_date < date '2025-12-05'
  AND (charge_type IN ('RIFee'))
