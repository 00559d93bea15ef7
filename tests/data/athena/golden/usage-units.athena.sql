SELECT sum(usage_amount) AS usage, usage_unit AS unit
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
  AND (service_code IN ('AmazonEC2'))
  AND charge_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')
GROUP BY usage_unit
ORDER BY usage DESC, 2
