SELECT coalesce(account_id, '(none)') AS account, arbitrary(account_name) AS account_name, sum(amortized_cost) AS amortized_cost, round(100 * sum(amortized_cost) / nullif(sum(sum(amortized_cost)) OVER (), 0), 2) AS share_pct
FROM costs
WHERE usage_date >= date '2025-09-01' AND usage_date < date '2025-10-01'
  AND (service_code IN ('AmazonEC2'))
  AND (element_at(tags, 'team') IS NULL)
GROUP BY 1
HAVING sum(amortized_cost) <> 0
ORDER BY amortized_cost DESC, 1
