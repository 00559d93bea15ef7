/*
 * drivers: `finq drivers` (insight_drivers): what drove the change in cost
 * between two periods ("why did CloudWatch spike in October?"), as a
 * contribution analysis down service, account, region, usage type,
 * resource and charge type, with each driver's change split into new and
 * removed resources, grown usage and changed rates (price-volume).
 *
 * The module's only export is its descriptor, declared in insight.h.
 */
#ifndef FINQ_DRIVERS_H
#define FINQ_DRIVERS_H

#include "insight.h"

#endif
