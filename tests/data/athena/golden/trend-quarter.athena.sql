SELECT CAST(date_trunc('quarter', usage_date) AS DATE) AS period, coalesce(service_code, '(none)') AS service, sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= date '2025-01-01' AND usage_date < date '2025-12-05'
GROUP BY 1, 2
HAVING sum(amortized_cost) <> 0
ORDER BY 1, 2
