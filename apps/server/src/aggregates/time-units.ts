/**
 * Time units, named once. Aggregates are keyed by UTC hour and day buckets, statistics walk
 * hours and the 168 hours of a week, and the CLI's demo steps a simulated clock in minutes:
 * all of them read these constants instead of writing the numbers again.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export const HOURS_PER_DAY = 24;
export const DAYS_PER_WEEK = 7;
/** The hour-of-week cycle of the heatmap and update-window slots: (ISO weekday - 1) * 24 + hour. */
export const HOURS_PER_WEEK = DAYS_PER_WEEK * HOURS_PER_DAY;
