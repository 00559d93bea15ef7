/*
 * owners: the likely owner of untagged spend (`finq owners`, insight_owners).
 *
 * For each resource whose lines carry no owner tag (the first of a table of
 * keys the data has: team, owner, ..., project), it infers the owner from
 * tagged resources launched in the same account and availability zone
 * within the same hour, then from naming (a team or project value in the
 * resource's id), then from the account (one owner holding nearly all its
 * tagged cost); "unknown" when nothing correlates. Words naming a resource
 * id ask about that one resource.
 *
 * The launch hour comes from charge_start in an hourly export, or, in a
 * daily one, from the first day's usage against a full day's: a resource
 * that ran 14 of the first day's 24 hours started at 10:00.
 */
#ifndef FINQ_OWNERS_H
#define FINQ_OWNERS_H

/*
 * The hour (0..23, UTC) a resource started on its first day, from its usage
 * that day and on a full day (same units); -1 when full_day is not positive.
 * A first day within 2% of a full day reads as 0 (it ran all day). Pure.
 */
int owners_launch_hour(double first_day_usage, double full_day_usage);

#endif
