SELECT coalesce(element_at(tags, 'team'), '(untagged)') AS "team", sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost) / nullif(sum(sum(amortized_cost)) OVER (), 0), 2) AS share_pct
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
GROUP BY 1
HAVING sum(amortized_cost) <> 0
ORDER BY amortized_cost DESC, 1
