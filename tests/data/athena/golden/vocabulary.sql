finq_tag_costs (k, v, cost) AS (
SELECT t.k, t.v, sum(c.amortized_cost) FROM costs AS c CROSS JOIN UNNEST(c.tags) AS t (k, v) GROUP BY t.k, t.v),
vocabulary (dim, tag_key, value, name, cost) AS (
SELECT CASE WHEN grouping(service_code) = 0 THEN 'service' WHEN grouping(account_id) = 0 THEN 'account' WHEN grouping(region) = 0 THEN 'region' WHEN grouping(availability_zone) = 0 THEN 'availability_zone' WHEN grouping(usage_type) = 0 THEN 'usage_type' WHEN grouping(operation) = 0 THEN 'operation' WHEN grouping(instance_type) = 0 THEN 'instance_type' WHEN grouping(charge_type) = 0 THEN 'charge_type' WHEN grouping(service_category) = 0 THEN 'service_category' WHEN grouping(pricing_term) = 0 THEN 'pricing_term' WHEN grouping(provider) = 0 THEN 'provider' WHEN grouping(currency) = 0 THEN 'currency' WHEN grouping(usage_unit) = 0 THEN 'usage_unit' END,
  CAST(NULL AS varchar),
  coalesce(service_code, account_id, region, availability_zone, usage_type, operation, instance_type, charge_type, service_category, pricing_term, provider, currency, usage_unit),
  CASE WHEN grouping(service_code) = 0 THEN arbitrary(service_name) WHEN grouping(account_id) = 0 THEN arbitrary(account_name) END,
  sum(amortized_cost)
FROM costs
GROUP BY GROUPING SETS ((service_code), (account_id), (region), (availability_zone), (usage_type), (operation), (instance_type), (charge_type), (service_category), (pricing_term), (provider), (currency), (usage_unit))
HAVING coalesce(service_code, account_id, region, availability_zone, usage_type, operation, instance_type, charge_type, service_category, pricing_term, provider, currency, usage_unit) IS NOT NULL
UNION ALL SELECT 'tag', k, v, CAST(NULL AS varchar), cost FROM (
  SELECT k, v, cost, row_number() OVER (PARTITION BY k ORDER BY cost DESC, v) AS value_rank FROM finq_tag_costs) AS ranked
WHERE value_rank <= 1000
UNION ALL SELECT 'tag_key', k, CAST(NULL AS varchar), CAST(NULL AS varchar), sum(cost) FROM finq_tag_costs GROUP BY k)
