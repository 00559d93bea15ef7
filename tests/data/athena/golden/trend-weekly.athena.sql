SELECT CAST(date_trunc('week', usage_date) AS DATE) AS period, sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= date '2025-11-03' AND usage_date < date '2025-12-01'
GROUP BY 1
HAVING sum(amortized_cost) <> 0
ORDER BY 1
