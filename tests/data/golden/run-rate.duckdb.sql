SELECT sum(amortized_cost) / 30.0 AS average_daily_amortized_cost, sum(amortized_cost) AS total_amortized_cost, 30 AS days, sum(amortized_cost) / 30.0 * 30.4375 AS monthly_run_rate, sum(amortized_cost) / 30.0 * 365 AS annual_run_rate
FROM costs
WHERE usage_date >= DATE '2025-11-04' AND usage_date < DATE '2025-12-04'
