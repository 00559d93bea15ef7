/*
 * dims: the table of dimensions. See dims.h. Indexed by enum dimension.
 */
#include "dims.h"

static const struct dim_info dims[DIM_COUNT] = {
	[DIM_NONE] = { DIM_NONE, "none", "total", "totals", NULL, 99, false, { DIM_SERVICE }, { NULL } },
	[DIM_SERVICE] = { DIM_SERVICE, "service", "service", "services", "service_code", 0, true,
			  { DIM_USAGE_TYPE, DIM_REGION, DIM_ACCOUNT }, { "service", "svc", "product", "product code", "service name" } },
	[DIM_ACCOUNT] = { DIM_ACCOUNT, "account", "account", "accounts", "account_id", 1, true,
			  { DIM_SERVICE, DIM_REGION, DIM_USAGE_TYPE },
			  { "account", "acct", "billing account", "linked account", "member account", "sub account",
			    "subscription", "account name", "account id", "sub account id", "sub account name" } },
	[DIM_REGION] = { DIM_REGION, "region", "region", "regions", "region", 2, true,
			 { DIM_SERVICE, DIM_USAGE_TYPE, DIM_ACCOUNT }, { "region", "location", "region id", "region name" } },
	[DIM_AZ] = { DIM_AZ, "availability_zone", "availability zone", "availability zones", "availability_zone", 4,
		     false, { DIM_SERVICE, DIM_USAGE_TYPE, DIM_RESOURCE }, { "availability zone", "az", "zone" } },
	[DIM_USAGE_TYPE] = { DIM_USAGE_TYPE, "usage_type", "usage type", "usage types", "usage_type", 7, false,
			     { DIM_RESOURCE, DIM_OPERATION, DIM_ACCOUNT }, { "usage type" } },
	[DIM_OPERATION] = { DIM_OPERATION, "operation", "operation", "operations", "operation", 8, false,
			    { DIM_RESOURCE, DIM_USAGE_TYPE, DIM_ACCOUNT }, { "operation" } },
	[DIM_INSTANCE_TYPE] = { DIM_INSTANCE_TYPE, "instance_type", "instance type", "instance types", "instance_type",
				9, false, { DIM_ACCOUNT, DIM_REGION, DIM_RESOURCE }, { "instance type", "instance size" } },
	[DIM_RESOURCE] = { DIM_RESOURCE, "resource", "resource", "resources", "resource_id", 12, false,
			   { DIM_USAGE_TYPE, DIM_OPERATION }, { "resource id" } },
	[DIM_CHARGE_TYPE] = { DIM_CHARGE_TYPE, "charge_type", "charge type", "charge types", "charge_type", 6, false,
			      { DIM_SERVICE, DIM_ACCOUNT }, { "charge type", "charge category", "line item type" } },
	[DIM_CATEGORY] = { DIM_CATEGORY, "service_category", "service category", "service categories",
			   "service_category", 5, true, { DIM_SERVICE, DIM_ACCOUNT }, { "service category", "category" } },
	[DIM_PRICING_TERM] = { DIM_PRICING_TERM, "pricing_term", "pricing term", "pricing terms", "pricing_term", 10,
			       false, { DIM_SERVICE, DIM_INSTANCE_TYPE },
			       { "pricing term", "pricing model", "pricing category", "purchase option" } },
	[DIM_PROVIDER] = { DIM_PROVIDER, "provider", "provider", "providers", "provider", 11, true,
			   { DIM_SERVICE, DIM_ACCOUNT }, { "provider", "cloud", "cloud provider", "provider name" } },
	[DIM_TAG] = { DIM_TAG, "tag", "tag", "tags", NULL, 3, true, { DIM_SERVICE, DIM_ACCOUNT, DIM_REGION }, { NULL } },
};

const struct dim_info *dim_info(enum dimension d)
{
	return d > DIM_NONE && d < DIM_COUNT ? &dims[d] : &dims[DIM_NONE];
}
