/*
 * test_schema: column-name normalisation, tag-key normalisation, format
 * recognition from real header lists (the first lines of the files in
 * shared/data, copied here), and the SQL text of the mapping: it names only
 * columns the file has, types what it parses, and puts a typed NULL where
 * the file lacks a column. test_mapping runs that SQL; this file only
 * reads it.
 */
#include "unit.h"

#include "schema.h"
#include "sniff.h"
#include "strbuf.h"

/* ---- real headers ---- */

/* cur-dev/cur2.csv.gz */
static const char hdr_cur2[] =
	"bill_bill_type,bill_billing_entity,bill_billing_period_end_date,"
	"bill_billing_period_start_date,bill_invoice_id,bill_invoicing_entity,"
	"bill_payer_account_id,bill_payer_account_name,cost_category,discount_total_discount,"
	"identity_line_item_id,identity_time_interval,line_item_availability_zone,"
	"line_item_blended_cost,line_item_blended_rate,line_item_currency_code,"
	"line_item_legal_entity,line_item_line_item_description,line_item_line_item_type,"
	"line_item_net_unblended_cost,line_item_normalization_factor,"
	"line_item_normalized_usage_amount,line_item_operation,line_item_product_code,"
	"line_item_resource_id,line_item_tax_type,line_item_unblended_cost,"
	"line_item_unblended_rate,line_item_usage_account_id,line_item_usage_account_name,"
	"line_item_usage_amount,line_item_usage_end_date,line_item_usage_start_date,"
	"line_item_usage_type,pricing_currency,pricing_public_on_demand_cost,"
	"pricing_public_on_demand_rate,pricing_purchase_option,pricing_term,pricing_unit,product,"
	"product_from_location,product_instance_family,product_instance_type,product_location,"
	"product_operation,product_product_family,product_region_code,product_servicecode,"
	"product_sku,product_to_location,product_usagetype,"
	"reservation_amortized_upfront_cost_for_usage,"
	"reservation_amortized_upfront_fee_for_billing_period,reservation_effective_cost,"
	"reservation_end_time,reservation_recurring_fee_for_usage,reservation_reservation_a_r_n,"
	"reservation_start_time,reservation_unused_amortized_upfront_fee_for_billing_period,"
	"reservation_unused_quantity,reservation_unused_recurring_fee,reservation_upfront_value,"
	"resource_tags,savings_plan_amortized_upfront_commitment_for_billing_period,"
	"savings_plan_offering_type,savings_plan_payment_option,"
	"savings_plan_recurring_commitment_for_billing_period,savings_plan_savings_plan_a_r_n,"
	"savings_plan_savings_plan_effective_cost,savings_plan_savings_plan_rate,"
	"savings_plan_total_commitment_to_date,savings_plan_used_commitment";
/* cur-dev/cur1.csv.gz */
static const char hdr_cur1_dev[] =
	"bill/BillType,bill/BillingEntity,bill/BillingPeriodEndDate,bill/BillingPeriodStartDate,"
	"bill/InvoiceId,bill/InvoicingEntity,bill/PayerAccountId,bill/PayerAccountName,"
	"discount/TotalDiscount,identity/LineItemId,identity/TimeInterval,"
	"lineItem/AvailabilityZone,lineItem/BlendedCost,lineItem/BlendedRate,"
	"lineItem/CurrencyCode,lineItem/LegalEntity,lineItem/LineItemDescription,"
	"lineItem/LineItemType,lineItem/NetUnblendedCost,lineItem/NormalizationFactor,"
	"lineItem/NormalizedUsageAmount,lineItem/Operation,lineItem/ProductCode,"
	"lineItem/ResourceId,lineItem/TaxType,lineItem/UnblendedCost,lineItem/UnblendedRate,"
	"lineItem/UsageAccountId,lineItem/UsageAccountName,lineItem/UsageAmount,"
	"lineItem/UsageEndDate,lineItem/UsageStartDate,lineItem/UsageType,pricing/currency,"
	"pricing/publicOnDemandCost,pricing/publicOnDemandRate,pricing/purchaseOption,"
	"pricing/term,pricing/unit,product/fromLocation,product/instanceFamily,"
	"product/instanceType,product/location,product/operation,product/productFamily,"
	"product/regionCode,product/servicecode,product/sku,product/toLocation,product/usagetype,"
	"reservation/AmortizedUpfrontCostForUsage,"
	"reservation/AmortizedUpfrontFeeForBillingPeriod,reservation/EffectiveCost,"
	"reservation/EndTime,reservation/RecurringFeeForUsage,reservation/ReservationARN,"
	"reservation/StartTime,reservation/UnusedAmortizedUpfrontFeeForBillingPeriod,"
	"reservation/UnusedQuantity,reservation/UnusedRecurringFee,reservation/UpfrontValue,"
	"savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod,savingsPlan/OfferingType,"
	"savingsPlan/PaymentOption,savingsPlan/RecurringCommitmentForBillingPeriod,"
	"savingsPlan/SavingsPlanARN,savingsPlan/SavingsPlanEffectiveCost,"
	"savingsPlan/SavingsPlanRate,savingsPlan/TotalCommitmentToDate,"
	"savingsPlan/UsedCommitment,product/region,resourceTags/user:cost_center,"
	"resourceTags/user:env,resourceTags/user:project,resourceTags/user:team";
/* real/focusconv-aws-cur-csv */
static const char hdr_cur1_real[] =
	"identity/LineItemId,identity/TimeInterval,bill/InvoiceId,bill/InvoicingEntity,"
	"bill/BillingEntity,bill/BillType,bill/PayerAccountId,bill/BillingPeriodStartDate,"
	"bill/BillingPeriodEndDate,lineItem/UsageAccountId,lineItem/LineItemType,"
	"lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,"
	"lineItem/Operation,lineItem/AvailabilityZone,lineItem/UsageAmount,"
	"lineItem/NormalizationFactor,lineItem/NormalizedUsageAmount,lineItem/CurrencyCode,"
	"lineItem/UnblendedRate,lineItem/UnblendedCost,lineItem/BlendedRate,lineItem/BlendedCost,"
	"lineItem/LineItemDescription,lineItem/TaxType,lineItem/LegalEntity,product/ProductName,"
	"product/availability,product/durability,product/eventType,product/feeCode,"
	"product/feeDescription,product/fromLocation,product/fromLocationType,"
	"product/fromRegionCode,product/group,product/groupDescription,product/location,"
	"product/locationType,product/messageDeliveryFrequency,product/messageDeliveryOrder,"
	"product/operation,product/overhead,product/productFamily,product/productType,"
	"product/queueType,product/region,product/regionCode,product/servicecode,"
	"product/servicename,product/sku,product/storageClass,product/storageMedia,"
	"product/toLocation,product/toLocationType,product/toRegionCode,product/transferType,"
	"product/usagetype,product/version,product/volumeType,pricing/RateCode,pricing/RateId,"
	"pricing/currency,pricing/publicOnDemandCost,pricing/publicOnDemandRate,pricing/term,"
	"pricing/unit,reservation/AmortizedUpfrontCostForUsage,"
	"reservation/AmortizedUpfrontFeeForBillingPeriod,reservation/EffectiveCost,"
	"reservation/EndTime,reservation/ModificationStatus,"
	"reservation/NormalizedUnitsPerReservation,reservation/NumberOfReservations,"
	"reservation/RecurringFeeForUsage,reservation/StartTime,reservation/SubscriptionId,"
	"reservation/TotalReservedNormalizedUnits,reservation/TotalReservedUnits,"
	"reservation/UnitsPerReservation,reservation/UnusedAmortizedUpfrontFeeForBillingPeriod,"
	"reservation/UnusedNormalizedUnitQuantity,reservation/UnusedQuantity,"
	"reservation/UnusedRecurringFee,reservation/UpfrontValue,"
	"savingsPlan/TotalCommitmentToDate,savingsPlan/SavingsPlanARN,"
	"savingsPlan/SavingsPlanRate,savingsPlan/UsedCommitment,"
	"savingsPlan/SavingsPlanEffectiveCost,"
	"savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod,"
	"savingsPlan/RecurringCommitmentForBillingPeriod";
/* real/wal-licensing-cur-csv/BeforeCUR.csv.gz (\x01 in the file) */
static const char hdr_athena_text[] =
	"identity_line_item_id,identity_time_interval,bill_invoice_id,bill_billing_entity,"
	"bill_bill_type,bill_payer_account_id,bill_billing_period_start_date,"
	"bill_billing_period_end_date,line_item_usage_account_id,line_item_line_item_type,"
	"line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,"
	"line_item_usage_type,line_item_operation,line_item_availability_zone,"
	"line_item_resource_id,line_item_usage_amount,line_item_normalization_factor,"
	"line_item_normalized_usage_amount,line_item_currency_code,line_item_unblended_rate,"
	"line_item_unblended_cost,line_item_blended_rate,line_item_blended_cost,"
	"line_item_line_item_description,line_item_tax_type,line_item_legal_entity,"
	"product_product_name,product_availability,product_capacitystatus,product_clock_speed,"
	"product_current_generation,product_database_engine,product_dedicated_ebs_throughput,"
	"product_deployment_option,product_description,product_durability,product_ecu,"
	"product_edition,product_engine_code,product_enhanced_networking_supported,"
	"product_event_type,product_free_query_types,product_from_location,"
	"product_from_location_type,product_group,product_group_description,"
	"product_instance_family,product_instance_type,product_instance_type_family,"
	"product_license_model,product_location,product_location_type,"
	"product_max_iops_burst_performance,product_max_iopsvolume,product_max_throughputvolume,"
	"product_max_volume_size,product_memory,product_message_delivery_frequency,"
	"product_message_delivery_order,product_min_volume_size,product_network_performance,"
	"product_normalization_size_factor,product_operating_system,product_operation,"
	"product_physical_processor,product_pre_installed_sw,product_processor_architecture,"
	"product_processor_features,product_product_family,product_queue_type,product_region,"
	"product_servicecode,product_servicename,product_sku,product_storage,"
	"product_storage_class,product_storage_media,product_subscription_type,product_tenancy,"
	"product_to_location,product_to_location_type,product_transfer_type,product_usagetype,"
	"product_vcpu,product_version,product_volume_type,pricing_lease_contract_length,"
	"pricing_offering_class,pricing_purchase_option,pricing_rate_id,"
	"pricing_public_on_demand_cost,pricing_public_on_demand_rate,pricing_term,pricing_unit,"
	"reservation_amortized_upfront_cost_for_usage,"
	"reservation_amortized_upfront_fee_for_billing_period,reservation_effective_cost,"
	"reservation_end_time,reservation_modification_status,"
	"reservation_normalized_units_per_reservation,reservation_number_of_reservations,"
	"reservation_recurring_fee_for_usage,reservation_reservation_a_r_n,"
	"reservation_start_time,reservation_subscription_id,"
	"reservation_total_reserved_normalized_units,reservation_total_reserved_units,"
	"reservation_units_per_reservation,"
	"reservation_unused_amortized_upfront_fee_for_billing_period,"
	"reservation_unused_normalized_unit_quantity,reservation_unused_quantity,"
	"reservation_unused_recurring_fee,reservation_upfront_value,"
	"resource_tags_aws_autoscaling_group_name,resource_tags_aws_created_by,"
	"resource_tags_aws_ec2spot_fleet_request_id,resource_tags_user_cost_center,"
	"resource_tags_user_department,resource_tags_user_environment,resource_tags_user_name,"
	"resource_tags_user_workload,resource_tags_user_workload_type,product_category,"
	"resource_tags_user_tag21_nov,resource_tags_user_application,resource_tags_user_tier,"
	"product_content_type,product_granularity,product_origin,product_recipient,"
	"product_volume_api_name,savings_plan_total_commitment_to_date,"
	"savings_plan_savings_plan_a_r_n,savings_plan_savings_plan_rate,"
	"savings_plan_used_commitment,savings_plan_savings_plan_effective_cost,"
	"savings_plan_amortized_upfront_commitment_for_billing_period,"
	"savings_plan_recurring_commitment_for_billing_period,product_instance,"
	"product_provisioned,product_request_description,product_request_type,product_fee_code,"
	"product_fee_description,year,month";
/* cur-dev/focus.csv.gz */
static const char hdr_focus_dev[] =
	"BilledCost,EffectiveCost,ListCost,ContractedCost,BillingAccountId,BillingAccountName,"
	"BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,"
	"ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,SubAccountId,"
	"SubAccountName,ServiceName,ServiceCategory,ProviderName,PublisherName,InvoiceIssuerName,"
	"RegionId,RegionName,AvailabilityZone,ResourceId,ResourceName,ResourceType,SkuId,"
	"PricingUnit,PricingQuantity,ConsumedQuantity,ConsumedUnit,CommitmentDiscountId,"
	"CommitmentDiscountType,Tags,x_ServiceCode,x_UsageType,x_Operation";
/* real/focus10-sample (quoted in the file) */
static const char hdr_focus_real[] =
	"AvailabilityZone,BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,"
	"BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,"
	"ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,CommitmentDiscountCategory,"
	"CommitmentDiscountId,CommitmentDiscountName,CommitmentDiscountStatus,"
	"CommitmentDiscountType,ConsumedQuantity,ConsumedUnit,ContractedCost,ContractedUnitPrice,"
	"EffectiveCost,InvoiceIssuerName,ListCost,ListUnitPrice,PricingCategory,PricingQuantity,"
	"PricingUnit,ProviderName,PublisherName,RegionId,RegionName,ResourceId,ResourceName,"
	"ResourceType,ServiceCategory,Id,ServiceName,SkuId,SkuPriceId,SubAccountId,"
	"SubAccountName,Tags";
/* real/azure-ea-cost-small/EA_ActualCost_Small.csv (after its BOM) */
static const char hdr_azure_ea[] =
	"BillingAccountId,BillingAccountName,BillingPeriodStartDate,BillingPeriodEndDate,"
	"BillingProfileId,BillingProfileName,AccountOwnerId,AccountName,SubscriptionId,"
	"SubscriptionName,Date,Product,PartNumber,MeterId,ServiceFamily,MeterCategory,"
	"MeterSubCategory,MeterRegion,MeterName,Quantity,EffectivePrice,Cost,UnitPrice,"
	"BillingCurrency,ResourceLocation,AvailabilityZone,ConsumedService,ResourceId,"
	"ResourceName,ServiceInfo1,ServiceInfo2,AdditionalInfo,Tags,InvoiceSectionId,"
	"InvoiceSection,CostCenter,UnitOfMeasure,ResourceGroup,ReservationId,ReservationName,"
	"ProductOrderId,ProductOrderName,OfferId,IsAzureCreditEligible,Term,PublisherName,"
	"PlanName,ChargeType,Frequency,PublisherType,PayGPrice,PricingModel,"
	"CostAllocationRuleName,benefitId,benefitName";
/* real/wal-workshop-cur-parquet/Oct2018 (Parquet column names) */
static const char hdr_athena_parquet[] =
	"identity_line_item_id,identity_time_interval,bill_invoice_id,bill_billing_entity,"
	"bill_bill_type,bill_payer_account_id,bill_billing_period_start_date,"
	"bill_billing_period_end_date,line_item_usage_account_id,line_item_line_item_type,"
	"line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,"
	"line_item_usage_type,line_item_operation,line_item_availability_zone,"
	"line_item_resource_id,line_item_usage_amount,line_item_normalization_factor,"
	"line_item_normalized_usage_amount,line_item_currency_code,line_item_unblended_rate,"
	"line_item_unblended_cost,line_item_blended_rate,line_item_blended_cost,"
	"line_item_line_item_description,line_item_tax_type,line_item_legal_entity,"
	"product_product_name,product_availability,product_capacitystatus,product_clock_speed,"
	"product_current_generation,product_database_engine,product_dedicated_ebs_throughput,"
	"product_deployment_option,product_description,product_durability,product_ecu,"
	"product_edition,product_engine_code,product_enhanced_networking_supported,"
	"product_event_type,product_free_query_types,product_from_location,"
	"product_from_location_type,product_group,product_group_description,"
	"product_instance_family,product_instance_type,product_instance_type_family,"
	"product_license_model,product_location,product_location_type,"
	"product_max_iops_burst_performance,product_max_iopsvolume,product_max_throughputvolume,"
	"product_max_volume_size,product_memory,product_message_delivery_frequency,"
	"product_message_delivery_order,product_min_volume_size,product_network_performance,"
	"product_normalization_size_factor,product_operating_system,product_operation,"
	"product_physical_processor,product_pre_installed_sw,product_processor_architecture,"
	"product_processor_features,product_product_family,product_queue_type,product_region,"
	"product_servicecode,product_servicename,product_sku,product_storage,"
	"product_storage_class,product_storage_media,product_subscription_type,product_tenancy,"
	"product_to_location,product_to_location_type,product_transfer_type,product_usagetype,"
	"product_vcpu,product_version,product_volume_type,pricing_lease_contract_length,"
	"pricing_offering_class,pricing_purchase_option,pricing_rate_id,"
	"pricing_public_on_demand_cost,pricing_public_on_demand_rate,pricing_term,pricing_unit,"
	"reservation_amortized_upfront_cost_for_usage,"
	"reservation_amortized_upfront_fee_for_billing_period,reservation_effective_cost,"
	"reservation_end_time,reservation_modification_status,"
	"reservation_normalized_units_per_reservation,reservation_number_of_reservations,"
	"reservation_recurring_fee_for_usage,reservation_reservation_a_r_n,"
	"reservation_start_time,reservation_subscription_id,"
	"reservation_total_reserved_normalized_units,reservation_total_reserved_units,"
	"reservation_units_per_reservation,"
	"reservation_unused_amortized_upfront_fee_for_billing_period,"
	"reservation_unused_normalized_unit_quantity,reservation_unused_quantity,"
	"reservation_unused_recurring_fee,reservation_upfront_value,"
	"resource_tags_aws_autoscaling_group_name,resource_tags_aws_created_by,"
	"resource_tags_aws_ec2spot_fleet_request_id,resource_tags_user_cost_center,"
	"resource_tags_user_department,resource_tags_user_environment,resource_tags_user_name,"
	"resource_tags_user_workload,resource_tags_user_workload_type";

/* ---- helpers ---- */

/* A header as source columns, all text (a CSV) or as typed by the caller. */
struct header {
	char **names;
	size_t n;
	struct source_column *cols;
	char (*normalized)[256];
};

static void header_init(struct header *h, const char *list, char delim)
{
	h->names = sniff_split_line(list, delim, &h->n);
	h->cols = calloc(h->n, sizeof(*h->cols));
	h->normalized = calloc(h->n, sizeof(*h->normalized));
	for (size_t i = 0; i < h->n; i++) {
		column_name_normalize(h->names[i], h->normalized[i], sizeof(h->normalized[i]));
		h->cols[i].raw = h->names[i];
		h->cols[i].normalized = h->normalized[i];
		h->cols[i].is_text = true;
		h->cols[i].is_map = false;
	}
}

static void header_release(struct header *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	free(h->cols);
	free(h->normalized);
}

static struct source_column *header_find(struct header *h, const char *raw)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], raw) == 0)
			return &h->cols[i];
	return NULL;
}

static enum export_format identify_list(const char *list)
{
	struct header h;
	header_init(&h, list, ',');
	enum export_format f = schema_identify((const char *const *)h.names, h.n);
	header_release(&h);
	return f;
}

/* Build the mapping SELECT for h; the caller frees the result. */
static char *build(enum export_format f, struct header *h)
{
	struct strbuf sql;
	strbuf_init(&sql, 0);
	assert_int_equal(schema_build_select(f, h->cols, h->n, "src_table_x", 42, &sql), 0);
	return strbuf_detach(&sql);
}

/*
 * Every double-quoted identifier in sql must be a column of h: the mapping
 * never names a column the file lacks (a missing one would be a Binder
 * Error at load time). Returns how many identifiers were checked.
 */
static size_t check_identifiers_exist(const char *sql, struct header *h)
{
	size_t checked = 0;
	const char *p = sql;
	bool in_literal = false;
	while (*p) {
		if (*p == '\'') {
			if (in_literal && p[1] == '\'') {
				p += 2;
				continue;
			}
			in_literal = !in_literal;
			p++;
			continue;
		}
		if (in_literal || *p != '"') {
			p++;
			continue;
		}
		struct strbuf id;
		strbuf_init(&id, 0);
		for (p++; *p; p++) {
			if (*p == '"') {
				if (p[1] == '"') {
					strbuf_addch(&id, '"');
					p++;
					continue;
				}
				p++;
				break;
			}
			strbuf_addch(&id, *p);
		}
		if (!header_find(h, id.buf))
			print_error("the SQL names column \"%s\", which the file does not have\n", id.buf);
		assert_non_null(header_find(h, id.buf));
		strbuf_release(&id);
		checked++;
	}
	assert_false(in_literal);
	return checked;
}

/* The stage-1 line "  <expr> AS <name>," for a needed column, or NULL. */
static char *stage1_expr(const char *sql, const char *name)
{
	char want[300];
	snprintf(want, sizeof(want), " AS %s,\n", name);
	const char *hit = strstr(sql, want);
	if (!hit)
		return NULL;
	const char *start = hit;
	while (start > sql && start[-1] != '\n')
		start--;
	return strndup(start, (size_t)(hit - start));
}

/* ---- column names ---- */

static void test_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *want;
	} cases[] = {
		{ "lineItem/UsageStartDate", "line_item_usage_start_date" },
		{ "lineItem/UnblendedCost", "line_item_unblended_cost" },
		{ "reservation/ReservationARN", "reservation_reservation_a_r_n" },
		{ "savingsPlan/SavingsPlanARN", "savings_plan_savings_plan_a_r_n" },
		{ "resourceTags/user:cost_center", "resource_tags_user_cost_center" },
		{ "resourceTags/user:team", "resource_tags_user_team" },
		{ "resourceTags/aws:createdBy", "resource_tags_aws_created_by" },
		{ "bill/PayerAccountId", "bill_payer_account_id" },
		{ "pricing/publicOnDemandCost", "pricing_public_on_demand_cost" },
		{ "product/servicecode", "product_servicecode" },
		{ "BilledCost", "billed_cost" },
		{ "ChargePeriodStart", "charge_period_start" },
		{ "x_ServiceCode", "x_service_code" },
		{ "x_UsageType", "x_usage_type" },
		{ "CostInBillingCurrency", "cost_in_billing_currency" },
		{ "PayGPrice", "pay_g_price" },
		{ "benefitId", "benefit_id" },
		{ "Date", "date" },
		{ "line_item_usage_start_date", "line_item_usage_start_date" },
		{ "resource_tags_user_cost_center", "resource_tags_user_cost_center" },
		{ "bill_billing_period_start_date", "bill_billing_period_start_date" },
		{ "tag21Nov", "tag21_nov" },
		{ "Meter Category", "meter_category" },
		{ "a.b-c d", "a_b_c_d" },
		{ " Cost ", "cost" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];
		memset(out, 'X', sizeof(out));
		column_name_normalize(cases[i].raw, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			print_error("column_name_normalize('%s') = '%s', want '%s'\n", cases[i].raw, out, cases[i].want);
		assert_string_equal(out, cases[i].want);
	}
}

static void test_normalize_small_buffer(void **state)
{
	(void)state;
	char out[8];
	memset(out, 'X', sizeof(out));
	column_name_normalize("lineItem/UsageStartDate", out, 8);
	assert_true(memchr(out, '\0', sizeof(out)) != NULL);
	assert_true(strlen(out) < 8);
	assert_int_equal(strncmp(out, "line_item", strlen(out)), 0);
	/* Size 1: just the terminator; size 0: nothing written. */
	char one[2] = { 'X', 'Y' };
	column_name_normalize("Cost", one, 1);
	assert_int_equal(one[0], '\0');
	assert_int_equal(one[1], 'Y');
	char zero = 'Z';
	column_name_normalize("Cost", &zero, 0);
	assert_int_equal(zero, 'Z');
}

static void test_tag_key_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *want;
	} cases[] = {
		{ "user:CostCenter", "cost_center" },
		{ "user:cost_center", "cost_center" },
		{ "user_cost_center", "cost_center" },
		{ "user:team", "team" },
		{ "user_team", "team" },
		{ "team", "team" },
		{ "Team Name", "team_name" },
		{ "aws:createdBy", "aws_created_by" },
		{ "aws:cloudformation:stack-name", "aws_cloudformation_stack_name" },
		{ "CostCenter", "cost_center" },
		{ "env", "env" },
		{ "tag21Nov", "tag21_nov" },
		{ "  Project  ", "project" },
		{ "user:", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[128];
		tag_key_normalize(cases[i].raw, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			print_error("tag_key_normalize('%s') = '%s', want '%s'\n", cases[i].raw, out, cases[i].want);
		assert_string_equal(out, cases[i].want);
	}
	char small[5];
	tag_key_normalize("user:CostCenter", small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
}

/* ---- recognition ---- */

static void test_identify_cur2(void **state)
{
	(void)state;
	assert_int_equal(identify_list(hdr_cur2), FORMAT_CUR2);
	assert_string_equal(export_format_name(FORMAT_CUR2), "cur2");
}

static void test_identify_cur1(void **state)
{
	(void)state;
	assert_int_equal(identify_list(hdr_cur1_dev), FORMAT_CUR1);
	assert_int_equal(identify_list(hdr_cur1_real), FORMAT_CUR1);
}

static void test_identify_athena(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, hdr_athena_text, ',');
	assert_int_equal(h.n, 148);
	assert_int_equal(schema_identify((const char *const *)h.names, h.n), FORMAT_CUR1_ATHENA);
	header_release(&h);
	assert_int_equal(identify_list(hdr_athena_parquet), FORMAT_CUR1_ATHENA);
	/* The same columns with a resource_tags map are CUR 2.0. */
	struct strbuf with_map;
	strbuf_init(&with_map, 0);
	strbuf_addstr(&with_map, hdr_athena_parquet);
	strbuf_addstr(&with_map, ",resource_tags");
	assert_int_equal(identify_list(with_map.buf), FORMAT_CUR2);
	strbuf_release(&with_map);
}

static void test_identify_focus(void **state)
{
	(void)state;
	assert_int_equal(identify_list(hdr_focus_dev), FORMAT_FOCUS);
	assert_int_equal(identify_list(hdr_focus_real), FORMAT_FOCUS);
	/* The real sample's header as it is in the file: quoted. */
	struct header h;
	header_init(&h, "\"AvailabilityZone\",\"BilledCost\",\"BillingCurrency\",\"ChargePeriodStart\",\"EffectiveCost\"", ',');
	assert_int_equal(schema_identify((const char *const *)h.names, h.n), FORMAT_FOCUS);
	header_release(&h);
}

static void test_identify_azure(void **state)
{
	(void)state;
	assert_int_equal(identify_list(hdr_azure_ea), FORMAT_AZURE);
	/* MCA spelling: CostInBillingCurrency. */
	assert_int_equal(identify_list("Date,MeterCategory,MeterId,CostInBillingCurrency,BillingCurrency"), FORMAT_AZURE);
}

static void test_identify_unknown(void **state)
{
	(void)state;
	assert_int_equal(identify_list("foo,bar,baz"), FORMAT_UNKNOWN);
	assert_int_equal(identify_list(""), FORMAT_UNKNOWN);
	/* One required column short of each format. */
	assert_int_equal(identify_list("line_item_usage_start_date,line_item_unblended_cost"), FORMAT_UNKNOWN);
	assert_int_equal(identify_list("lineItem/UsageStartDate,lineItem/UnblendedCost,bill/PayerAccountId"), FORMAT_UNKNOWN);
	assert_int_equal(identify_list("BilledCost,EffectiveCost,BillingCurrency"), FORMAT_UNKNOWN);
	assert_int_equal(identify_list("MeterCategory,Cost,ResourceId"), FORMAT_UNKNOWN);
	/* A headerless Athena line: data, not names. */
	assert_int_equal(identify_list("vh7glzy3aoh5,2019-11-26T00:00:00Z/2019-11-26T01:00:00Z,,AWS,Anniversary,836060457634"),
			 FORMAT_UNKNOWN);
	assert_int_equal(schema_identify(NULL, 0), FORMAT_UNKNOWN);
	assert_string_equal(export_format_name(FORMAT_UNKNOWN), "unknown");
}

static void test_format_families(void **state)
{
	(void)state;
	assert_int_equal(export_format_family(FORMAT_CUR2), FAMILY_CUR);
	assert_int_equal(export_format_family(FORMAT_CUR1), FAMILY_CUR);
	assert_int_equal(export_format_family(FORMAT_CUR1_ATHENA), FAMILY_CUR);
	assert_int_equal(export_format_family(FORMAT_FOCUS), FAMILY_FOCUS);
	assert_int_equal(export_format_family(FORMAT_AZURE), FAMILY_AZURE);
	assert_int_equal(export_format_family(FORMAT_UNKNOWN), FAMILY_NONE);
	/* Every name is distinct. */
	enum export_format all[] = { FORMAT_UNKNOWN, FORMAT_CUR2, FORMAT_CUR1, FORMAT_CUR1_ATHENA, FORMAT_FOCUS, FORMAT_AZURE };
	for (size_t i = 0; i < 6; i++)
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(export_format_name(all[i]), export_format_name(all[k]));
}

static void test_costs_columns(void **state)
{
	(void)state;
	/* DESIGN.md's canonical names, all present in the column list and the DDL. */
	static const char *const design[] = {
		"usage_date", "charge_start", "billing_period", "provider", "payer_account_id",
		"account_id", "account_name", "service_code", "service_name", "service_category",
		"region", "availability_zone", "usage_type", "operation", "resource_id",
		"instance_type", "charge_type", "pricing_term", "usage_amount", "usage_unit",
		"unblended_cost", "net_cost", "amortized_cost", "list_cost", "currency", "tags", "source",
	};
	for (size_t i = 0; i < sizeof(design) / sizeof(design[0]); i++) {
		bool found = false;
		for (const char *const *c = costs_columns; *c; c++)
			found = found || strcmp(*c, design[i]) == 0;
		if (!found)
			print_error("costs_columns lacks '%s'\n", design[i]);
		assert_true(found);
		char ddl_line[64];
		snprintf(ddl_line, sizeof(ddl_line), "\n  %s ", design[i]);
		assert_contains(schema_ddl, ddl_line);
	}
	assert_contains(schema_ddl, "tags MAP(VARCHAR, VARCHAR)");
}

/* ---- the mapping SQL ---- */

static void test_build_unknown_fails(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, "foo,bar", ',');
	struct strbuf sql;
	strbuf_init(&sql, 0);
	assert_int_equal(schema_build_select(FORMAT_UNKNOWN, h.cols, h.n, "t", 1, &sql), -1);
	strbuf_release(&sql);
	header_release(&h);
}

static void test_build_cur1_names_only_existing_columns(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, hdr_cur1_dev, ',');
	char *sql = build(FORMAT_CUR1, &h);
	assert_true(check_identifiers_exist(sql, &h) > 30);
	/* Reads from what it was given, with the load id. */
	assert_contains(sql, "FROM src_table_x");
	assert_contains(sql, "42");
	/* Every tag column feeds the tag map. */
	assert_contains(sql, "\"resourceTags/user:cost_center\"");
	assert_contains(sql, "\"resourceTags/user:env\"");
	assert_contains(sql, "\"resourceTags/user:project\"");
	assert_contains(sql, "\"resourceTags/user:team\"");
	/* Text numbers are parsed as DOUBLE, text timestamps by finq_ts. */
	char *cost = stage1_expr(sql, "line_item_unblended_cost");
	assert_non_null(cost);
	assert_contains(cost, "\"lineItem/UnblendedCost\"");
	assert_contains(cost, "DOUBLE");
	char *start = stage1_expr(sql, "line_item_usage_start_date");
	assert_non_null(start);
	assert_contains(start, "\"lineItem/UsageStartDate\"");
	assert_contains(start, "finq_ts(");
	/* CUR 1.0 has no productName column: a typed NULL, not a made-up name. */
	char *name = stage1_expr(sql, "product_product_name");
	assert_non_null(name);
	assert_string_equal(name, "  CAST(NULL AS VARCHAR)");
	free(cost);
	free(start);
	free(name);
	free(sql);
	header_release(&h);
}

static void test_build_missing_columns_are_typed_nulls(void **state)
{
	(void)state;
	/* A minimal CUR 1.0 export: no Savings Plan, reservation or bill columns. */
	struct header h;
	header_init(&h, "lineItem/UsageStartDate,lineItem/UnblendedCost,lineItem/LineItemType,"
			"lineItem/ProductCode,resourceTags/user:team", ',');
	char *sql = build(FORMAT_CUR1, &h);
	assert_int_equal(check_identifiers_exist(sql, &h) >= 5, true);
	static const struct {
		const char *name, *null;
	} missing[] = {
		{ "savings_plan_savings_plan_effective_cost", "  CAST(NULL AS DOUBLE)" },
		{ "savings_plan_total_commitment_to_date", "  CAST(NULL AS DOUBLE)" },
		{ "reservation_effective_cost", "  CAST(NULL AS DOUBLE)" },
		{ "reservation_reservation_a_r_n", "  CAST(NULL AS VARCHAR)" },
		{ "bill_payer_account_id", "  CAST(NULL AS VARCHAR)" },
		{ "bill_billing_period_start_date", "  CAST(NULL AS TIMESTAMP)" },
		{ "line_item_usage_amount", "  CAST(NULL AS DOUBLE)" },
	};
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		char *expr = stage1_expr(sql, missing[i].name);
		if (!expr)
			print_error("no stage-1 column %s in:\n%s\n", missing[i].name, sql);
		assert_non_null(expr);
		assert_string_equal(expr, missing[i].null);
		free(expr);
	}
	free(sql);
	header_release(&h);
}

static void test_build_cur2_parquet_maps(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, hdr_cur2, ',');
	/* As DuckDB types the Parquet: numbers, timestamps, and two maps. */
	for (size_t i = 0; i < h.n; i++) {
		const char *n = h.names[i];
		h.cols[i].is_text = !(strstr(n, "_cost") || strstr(n, "_amount") || strstr(n, "_date") ||
				      strstr(n, "commitment") || strcmp(n, "product") == 0 ||
				      strcmp(n, "resource_tags") == 0 || strcmp(n, "cost_category") == 0);
		h.cols[i].is_map = strcmp(n, "product") == 0 || strcmp(n, "resource_tags") == 0 ||
				   strcmp(n, "cost_category") == 0;
	}
	char *sql = build(FORMAT_CUR2, &h);
	check_identifiers_exist(sql, &h);
	char *cost = stage1_expr(sql, "line_item_unblended_cost");
	assert_string_equal(cost, "  CAST(\"line_item_unblended_cost\" AS DOUBLE)");
	/* product_product_name lives in the product map. */
	char *name = stage1_expr(sql, "product_product_name");
	assert_non_null(name);
	assert_contains(name, "\"product\"");
	assert_contains(name, "'product_name'");
	/* A real column wins over the map. */
	char *region = stage1_expr(sql, "product_region_code");
	assert_non_null(region);
	assert_contains(region, "\"product_region_code\"");
	assert_not_contains(region, "\"product\"");
	assert_contains(sql, "\"resource_tags\"");
	free(cost);
	free(name);
	free(region);
	free(sql);
	header_release(&h);
}

static void test_build_athena_tag_columns(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, hdr_athena_parquet, ',');
	char *sql = build(FORMAT_CUR1_ATHENA, &h);
	check_identifiers_exist(sql, &h);
	assert_contains(sql, "\"resource_tags_user_cost_center\"");
	assert_contains(sql, "\"resource_tags_aws_created_by\"");
	/* No resource_tags map in an Athena export. */
	assert_not_contains(sql, "\"resource_tags\"");
	free(sql);
	header_release(&h);
}

static void test_build_focus_and_azure(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, hdr_focus_real, ',');
	char *sql = build(FORMAT_FOCUS, &h);
	check_identifiers_exist(sql, &h);
	char *billed = stage1_expr(sql, "billed_cost");
	assert_non_null(billed);
	assert_contains(billed, "\"BilledCost\"");
	char *effective = stage1_expr(sql, "effective_cost");
	assert_contains(effective, "\"EffectiveCost\"");
	/* The real sample has no x_ServiceCode: a typed NULL. */
	char *code = stage1_expr(sql, "x_service_code");
	assert_string_equal(code, "  CAST(NULL AS VARCHAR)");
	assert_contains(sql, "\"Tags\"");
	free(billed);
	free(effective);
	free(code);
	free(sql);
	header_release(&h);

	header_init(&h, hdr_azure_ea, ',');
	sql = build(FORMAT_AZURE, &h);
	check_identifiers_exist(sql, &h);
	char *cost = stage1_expr(sql, "cost");
	assert_non_null(cost);
	assert_contains(cost, "\"Cost\"");
	char *date = stage1_expr(sql, "date");
	assert_contains(date, "finq_ts(\"Date\")");
	assert_contains(sql, "\"Tags\"");
	free(cost);
	free(date);
	free(sql);
	header_release(&h);
}

static void test_build_escapes_hostile_names(void **state)
{
	(void)state;
	/* Column names come from the file: quotes in them must not end the
	 * identifier or a literal. */
	struct header h;
	header_init(&h, "lineItem/UsageStartDate,lineItem/UnblendedCost,lineItem/LineItemType,"
			"\"resourceTags/user:a\"\"b\",resourceTags/user:o'neil", ',');
	assert_string_equal(h.names[3], "resourceTags/user:a\"b");
	char *sql = build(FORMAT_CUR1, &h);
	assert_contains(sql, "\"resourceTags/user:a\"\"b\"");
	assert_contains(sql, "\"resourceTags/user:o'neil\"");
	assert_not_contains(sql, "o'neil'");
	check_identifiers_exist(sql, &h);
	free(sql);
	header_release(&h);
}

static void test_typed_columns(void **state)
{
	(void)state;
	struct header h;
	header_init(&h, hdr_cur1_real, ',');
	struct typed_column typed[64];
	size_t n = schema_typed_columns(FORMAT_CUR1, h.cols, h.n, typed, 64);
	assert_true(n >= 5);
	bool cost = false, start = false;
	for (size_t i = 0; i < n; i++) {
		/* Only columns of the file, and no optional text. */
		assert_non_null(header_find(&h, typed[i].raw));
		assert_true(typed[i].is_text);
		assert_string_not_equal(typed[i].raw, "lineItem/ProductCode");
		if (strcmp(typed[i].raw, "lineItem/UnblendedCost") == 0) {
			cost = true;
			assert_false(typed[i].is_timestamp);
			assert_false(typed[i].required);
		}
		if (strcmp(typed[i].raw, "lineItem/UsageStartDate") == 0) {
			start = true;
			assert_true(typed[i].is_timestamp);
			assert_true(typed[i].required);
		}
	}
	assert_true(cost);
	assert_true(start);
	/* The cap is honoured. */
	assert_int_equal(schema_typed_columns(FORMAT_CUR1, h.cols, h.n, typed, 2), 2);
	assert_int_equal(schema_typed_columns(FORMAT_UNKNOWN, h.cols, h.n, typed, 64), 0);
	header_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_normalize_small_buffer),
		cmocka_unit_test(test_tag_key_normalize),
		cmocka_unit_test(test_identify_cur2),
		cmocka_unit_test(test_identify_cur1),
		cmocka_unit_test(test_identify_athena),
		cmocka_unit_test(test_identify_focus),
		cmocka_unit_test(test_identify_azure),
		cmocka_unit_test(test_identify_unknown),
		cmocka_unit_test(test_format_families),
		cmocka_unit_test(test_costs_columns),
		cmocka_unit_test(test_build_unknown_fails),
		cmocka_unit_test(test_build_cur1_names_only_existing_columns),
		cmocka_unit_test(test_build_missing_columns_are_typed_nulls),
		cmocka_unit_test(test_build_cur2_parquet_maps),
		cmocka_unit_test(test_build_athena_tag_columns),
		cmocka_unit_test(test_build_focus_and_azure),
		cmocka_unit_test(test_build_escapes_hostile_names),
		cmocka_unit_test(test_typed_columns),
	};
	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
