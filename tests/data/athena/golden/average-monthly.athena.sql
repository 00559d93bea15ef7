SELECT sum(amortized_cost) / 11.129032 AS average_monthly_amortized_cost, sum(amortized_cost) AS total_amortized_cost, 11.1290 AS months
FROM costs
WHERE usage_date >= date '2025-01-01' AND usage_date < date '2025-12-05'
