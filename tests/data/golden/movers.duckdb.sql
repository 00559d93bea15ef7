SELECT service, earlier AS "October 2025", later AS "November 2025", later - earlier AS change, round(100 * (later - earlier) / nullif(earlier, 0), 1) AS change_pct,
  later - earlier - CASE WHEN least(abs(earlier_fees), abs(later_fees)) < 0.1 * greatest(abs(earlier_fees), abs(later_fees)) THEN later_fees - earlier_fees ELSE 0 END AS change_without_fees
FROM (SELECT coalesce(service_code, '(none)') AS service, any_value(service_name) AS service_name, sum(CASE WHEN usage_date >= DATE '2025-10-01' AND usage_date < DATE '2025-11-01' THEN amortized_cost ELSE 0 END) AS earlier, sum(CASE WHEN usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01' THEN amortized_cost ELSE 0 END) AS later, sum(CASE WHEN usage_date >= DATE '2025-10-01' AND usage_date < DATE '2025-11-01' AND coalesce(charge_type, '') IN ('Credit', 'Fee', 'Purchase', 'RIFee', 'Refund', 'SavingsPlanUpfrontFee', 'Tax') THEN amortized_cost ELSE 0 END) AS earlier_fees, sum(CASE WHEN usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01' AND coalesce(charge_type, '') IN ('Credit', 'Fee', 'Purchase', 'RIFee', 'Refund', 'SavingsPlanUpfrontFee', 'Tax') THEN amortized_cost ELSE 0 END) AS later_fees
FROM costs
WHERE ((usage_date >= DATE '2025-10-01' AND usage_date < DATE '2025-11-01') OR (usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01'))
GROUP BY 1
HAVING sum(CASE WHEN usage_date >= DATE '2025-10-01' AND usage_date < DATE '2025-11-01' THEN amortized_cost ELSE 0 END) <> 0 OR sum(CASE WHEN usage_date >= DATE '2025-11-01' AND usage_date < DATE '2025-12-01' THEN amortized_cost ELSE 0 END) <> 0)
ORDER BY change_without_fees DESC, 1
LIMIT 5
