SELECT * FROM (SELECT coalesce(account_id, '(none)') AS account, arbitrary(account_name) AS account_name, sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost) / nullif(sum(sum(amortized_cost)) OVER (), 0), 2) AS share_pct, sum(sum(amortized_cost)) OVER () AS all_amortized_cost
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
GROUP BY 1
HAVING sum(amortized_cost) <> 0) AS parts
WHERE TRUE AND amortized_cost > 20000.000000
ORDER BY amortized_cost DESC, 1
