SELECT coalesce(account_id, '(none)') AS account, arbitrary(account_name) AS account_name, sum(usage_amount) AS usage, round(100 * sum(usage_amount) / nullif(sum(sum(usage_amount)) OVER (), 0), 2) AS share_pct, array_join(array_sort(array_agg(DISTINCT usage_unit)), ', ') AS unit
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
  AND (strpos(usage_type, 'NatGateway') > 0)
  AND charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')
  AND lower(usage_unit) IN ('gb', 'gib', 'gigabytes')
GROUP BY 1
HAVING sum(usage_amount) <> 0
ORDER BY usage DESC, 1
