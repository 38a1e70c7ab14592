-- Custom (drizzle-kit generate --custom): feature durations move from 18 fixed bins (metric
-- duration_bin:NN) to the duration sketch (metric duration_sketch, dim '<bucket>:<feature>',
-- src/aggregates/duration-sketch.ts). Each old bin's count moves to the sketch bucket of the
-- bin's midpoint (the open last bin: its lower edge, 4 h, what the old code answered), so data
-- from before keeps the old bins' error and data from now on is within 1%. The buckets below
-- are sketchBucket(midpoint) for the edges 0, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
-- 60000, 120000, 300000, 600000, 1200000, 1800000, 3600000, 7200000, 14400000 ms. Grouped and
-- summed, so rows that differ only in columns not named here still land on one row each.
WITH old_bins(metric, sketch) AS (VALUES ('duration_bin:00', 50), ('duration_bin:01', 124), ('duration_bin:02', 163), ('duration_bin:03', 197), ('duration_bin:04', 240), ('duration_bin:05', 278), ('duration_bin:06', 313), ('duration_bin:07', 362), ('duration_bin:08', 402), ('duration_bin:09', 437), ('duration_bin:10', 479), ('duration_bin:11', 517), ('duration_bin:12', 552), ('duration_bin:13', 578), ('duration_bin:14', 607), ('duration_bin:15', 642), ('duration_bin:16', 676), ('duration_bin:17', 691))
INSERT INTO aggregates (project_id, purpose, grain, bucket, metric, dim, value)
SELECT a.project_id, a.purpose, a.grain, a.bucket, 'duration_sketch', CAST(o.sketch AS TEXT) || ':' || a.dim, sum(a.value)
FROM aggregates a JOIN old_bins o ON o.metric = a.metric
GROUP BY a.project_id, a.purpose, a.grain, a.bucket, o.sketch, a.dim;--> statement-breakpoint
DELETE FROM aggregates WHERE metric LIKE 'duration_bin:%';
