SELECT service, earlier AS "September 2025", later AS "October 2025", later - earlier AS change, round(100 * (later - earlier) / nullif(earlier, 0), 1) AS change_pct
FROM (SELECT coalesce(service_code, '(none)') AS service, arbitrary(service_name) AS service_name, sum(CASE WHEN usage_date >= date '2025-09-01' AND usage_date < date '2025-10-01' THEN amortized_cost ELSE 0 END) AS earlier, sum(CASE WHEN usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01' THEN amortized_cost ELSE 0 END) AS later
FROM costs
WHERE ((usage_date >= date '2025-09-01' AND usage_date < date '2025-10-01') OR (usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01'))
GROUP BY 1
HAVING sum(CASE WHEN usage_date >= date '2025-09-01' AND usage_date < date '2025-10-01' THEN amortized_cost ELSE 0 END) <> 0 OR sum(CASE WHEN usage_date >= date '2025-10-01' AND usage_date < date '2025-11-01' THEN amortized_cost ELSE 0 END) <> 0)
ORDER BY later DESC, 1
