SELECT sum(amortized_cost) / 30.0 AS average_daily_amortized_cost, sum(amortized_cost) AS total_amortized_cost, 30 AS days
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
