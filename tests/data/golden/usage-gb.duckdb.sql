SELECT sum(usage_amount) AS usage, string_agg(DISTINCT usage_unit, ', ' ORDER BY usage_unit) AS unit
FROM costs
WHERE usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01'
  AND (contains(usage_type, 'NatGateway'))
  AND charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')
  AND lower(usage_unit) IN ('gb', 'gib', 'gigabytes')
