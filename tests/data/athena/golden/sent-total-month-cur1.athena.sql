WITH costs (usage_date, charge_start, billing_period, provider, payer_account_id, account_id, account_name, service_code, service_name, service_category, region, availability_zone, usage_type, operation, resource_id, instance_type, charge_type, pricing_term, usage_amount, usage_unit, unblended_cost, net_cost, amortized_cost, list_cost, currency, tags, source, description, product_family, commitment_id, commitment_kind, commitment_cost, commitment_used, load_id) AS (
SELECT
  CAST(line_item_usage_start_date AS DATE),
  line_item_usage_start_date,
  CAST(date_trunc('month', coalesce(bill_billing_period_start_date, line_item_usage_start_date)) AS DATE),
  'AWS',
  bill_payer_account_id,
  line_item_usage_account_id,
  line_item_usage_account_name,
  line_item_product_code,
  coalesce(product_product_name, product_servicename, line_item_product_code),
  CASE WHEN line_item_product_code IN ('AmazonBedrock', 'AmazonSageMaker', 'AmazonRekognition', 'AmazonComprehend', 'AmazonTextract') THEN 'AI and Machine Learning' WHEN line_item_product_code IN ('AmazonAthena', 'AmazonEMR', 'AmazonKinesis', 'AmazonKinesisFirehose', 'AWSGlue', 'AmazonQuickSight', 'AmazonRedshift', 'AmazonES', 'AmazonMSK') THEN 'Analytics' WHEN line_item_product_code IN ('AmazonEC2', 'AWSLambda', 'AmazonECS', 'AmazonEKS', 'AmazonLightsail', 'AWSBatch', 'AWSFargate', 'AmazonAppStream') THEN 'Compute' WHEN line_item_product_code IN ('AmazonRDS', 'AmazonDynamoDB', 'AmazonElastiCache', 'AmazonDocDB', 'AmazonNeptune', 'AmazonMemoryDB', 'AmazonTimestream') THEN 'Databases' WHEN line_item_product_code IN ('AWSCodeBuild', 'AWSCodePipeline', 'AWSCodeCommit', 'AWSCodeArtifact', 'AWSXRay') THEN 'Developer Tools' WHEN line_item_product_code IN ('AmazonSQS', 'AmazonSNS', 'AmazonMQ', 'AWSEvents', 'AmazonApiGateway', 'AWSStepFunctions', 'AmazonSES') THEN 'Integration' WHEN line_item_product_code IN ('AmazonCloudWatch', 'AWSCloudTrail', 'AWSConfig', 'AWSSystemsManager', 'AWSCostExplorer', 'awskms', 'AWSSupportBusiness', 'AWSSupportEnterprise', 'AWSSupportDeveloper', 'AWSCloudFormation') THEN 'Management and Governance' WHEN line_item_product_code IN ('AmazonVPC', 'AWSDataTransfer', 'AmazonCloudFront', 'AmazonRoute53', 'AWSELB', 'AWSDirectConnect', 'AWSGlobalAccelerator', 'AWSTransitGateway') THEN 'Networking' WHEN line_item_product_code IN ('AWSKMS', 'awskms', 'AWSSecretsManager', 'AmazonGuardDuty', 'AWSWAF', 'AWSShield', 'AmazonInspector', 'AWSSecurityHub', 'AmazonMacie', 'AWSCertificateManager') THEN 'Security' WHEN line_item_product_code IN ('AmazonS3', 'AmazonEFS', 'AmazonFSx', 'AmazonS3GlacierDeepArchive', 'AmazonGlacier', 'AWSBackup', 'AWSStorageGateway') THEN 'Storage' WHEN line_item_product_code IS NOT NULL THEN 'Other' END,
  coalesce(product_region_code, product_region),
  line_item_availability_zone,
  line_item_usage_type,
  line_item_operation,
  line_item_resource_id,
  product_instance_type,
  line_item_line_item_type,
  pricing_term,
  line_item_usage_amount,
  pricing_unit,
  coalesce(line_item_unblended_cost, 0),
  coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0),
  CASE line_item_line_item_type
    WHEN 'SavingsPlanCoveredUsage' THEN coalesce(savings_plan_savings_plan_effective_cost, 0)
    WHEN 'SavingsPlanRecurringFee' THEN coalesce(savings_plan_total_commitment_to_date, 0) - coalesce(savings_plan_used_commitment, 0)
    WHEN 'SavingsPlanNegation' THEN 0
    WHEN 'SavingsPlanUpfrontFee' THEN 0
    WHEN 'DiscountedUsage' THEN coalesce(reservation_effective_cost, 0)
    WHEN 'RIFee' THEN coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0) + coalesce(reservation_unused_recurring_fee, 0)
    WHEN 'Fee' THEN CASE WHEN reservation_reservation_a_r_n IS NOT NULL THEN 0 ELSE coalesce(line_item_unblended_cost, 0) END
    ELSE coalesce(line_item_unblended_cost, 0) END,
  pricing_public_on_demand_cost,
  coalesce(line_item_currency_code, 'USD'),
  tag_entries,
  source_file,
  line_item_line_item_description,
  product_product_family,
  coalesce(savings_plan_savings_plan_a_r_n, reservation_reservation_a_r_n),
  CASE WHEN line_item_line_item_type LIKE 'SavingsPlan%' THEN 'Savings Plan'
    WHEN line_item_line_item_type IN ('DiscountedUsage', 'RIFee') THEN 'Reservation'
    WHEN line_item_line_item_type = 'Fee' AND reservation_reservation_a_r_n IS NOT NULL THEN 'Reservation' END,
  CASE line_item_line_item_type
    WHEN 'SavingsPlanRecurringFee' THEN savings_plan_total_commitment_to_date
    WHEN 'RIFee' THEN coalesce(reservation_amortized_upfront_fee_for_billing_period, 0) + coalesce(line_item_unblended_cost, 0) END,
  CASE line_item_line_item_type
    WHEN 'SavingsPlanRecurringFee' THEN savings_plan_used_commitment
    WHEN 'RIFee' THEN coalesce(reservation_amortized_upfront_fee_for_billing_period, 0) + coalesce(line_item_unblended_cost, 0)
      - coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0) - coalesce(reservation_unused_recurring_fee, 0) END,
  0
FROM (SELECT
  CAST("bill_billing_period_start_date" AS timestamp) AS bill_billing_period_start_date,
  nullif("bill_payer_account_id", '') AS bill_payer_account_id,
  nullif("line_item_availability_zone", '') AS line_item_availability_zone,
  nullif("line_item_currency_code", '') AS line_item_currency_code,
  nullif("line_item_line_item_description", '') AS line_item_line_item_description,
  nullif("line_item_line_item_type", '') AS line_item_line_item_type,
  CAST(NULL AS double) AS line_item_net_unblended_cost,
  nullif("line_item_operation", '') AS line_item_operation,
  nullif("line_item_product_code", '') AS line_item_product_code,
  nullif("line_item_resource_id", '') AS line_item_resource_id,
  CAST("line_item_unblended_cost" AS double) AS line_item_unblended_cost,
  nullif("line_item_usage_account_id", '') AS line_item_usage_account_id,
  CAST(NULL AS varchar) AS line_item_usage_account_name,
  CAST("line_item_usage_amount" AS double) AS line_item_usage_amount,
  CAST("line_item_usage_start_date" AS timestamp) AS line_item_usage_start_date,
  nullif("line_item_usage_type", '') AS line_item_usage_type,
  CAST("pricing_public_on_demand_cost" AS double) AS pricing_public_on_demand_cost,
  nullif("pricing_term", '') AS pricing_term,
  nullif("pricing_unit", '') AS pricing_unit,
  nullif("product_instance_type", '') AS product_instance_type,
  nullif("product_product_family", '') AS product_product_family,
  nullif("product_product_name", '') AS product_product_name,
  nullif("product_region", '') AS product_region,
  CAST(NULL AS varchar) AS product_region_code,
  CAST(NULL AS varchar) AS product_servicename,
  CAST("reservation_amortized_upfront_fee_for_billing_period" AS double) AS reservation_amortized_upfront_fee_for_billing_period,
  CAST("reservation_effective_cost" AS double) AS reservation_effective_cost,
  nullif("reservation_reservation_a_r_n", '') AS reservation_reservation_a_r_n,
  CAST("reservation_unused_amortized_upfront_fee_for_billing_period" AS double) AS reservation_unused_amortized_upfront_fee_for_billing_period,
  CAST("reservation_unused_recurring_fee" AS double) AS reservation_unused_recurring_fee,
  nullif("savings_plan_savings_plan_a_r_n", '') AS savings_plan_savings_plan_a_r_n,
  CAST("savings_plan_savings_plan_effective_cost" AS double) AS savings_plan_savings_plan_effective_cost,
  CAST("savings_plan_total_commitment_to_date" AS double) AS savings_plan_total_commitment_to_date,
  CAST("savings_plan_used_commitment" AS double) AS savings_plan_used_commitment,
  map_filter(map(ARRAY['team', 'cost_center', 'environment', 'aws_created_by'], ARRAY[coalesce(nullif("resource_tags_user_team", ''), NULL), coalesce(nullif("resource_tags_user_cost_center", ''), NULL), coalesce(nullif("resource_tags_user_environment", ''), NULL), coalesce(nullif("resource_tags_aws_created_by", ''), NULL)]), (k, v) -> v IS NOT NULL) AS tag_entries,
  "$path" AS source_file
FROM "cur"."cur_table" WHERE (("year" = '2025' AND "month" IN ('10', '11', '12')))) AS stage1)
SELECT sum(amortized_cost) AS amortized_cost
FROM costs
WHERE usage_date >= date '2025-11-01' AND usage_date < date '2025-12-01'
