SELECT * FROM (SELECT coalesce(account_id, '(none)') AS account, coalesce(service_code, '(none)') AS service, concat(coalesce(account_id, '(none)'), ' / ', coalesce(service_code, '(none)')) AS item, arbitrary(account_name) AS account_name, sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost) / nullif(sum(sum(amortized_cost)) OVER (), 0), 2) AS share_pct, sum(sum(amortized_cost)) OVER () AS all_amortized_cost
FROM costs
WHERE usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'
GROUP BY 1, 2, 3
HAVING sum(amortized_cost) <> 0) AS parts
WHERE TRUE AND account <> '(none)' AND service <> '(none)'
ORDER BY amortized_cost DESC, 1, 2
LIMIT 5
