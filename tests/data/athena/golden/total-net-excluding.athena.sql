SELECT sum(net_cost) AS net_cost
FROM costs
WHERE usage_date >= date '2025-07-01' AND usage_date < date '2025-10-01'
  AND (charge_type IS NULL OR charge_type NOT IN ('Tax', 'Credit'))
