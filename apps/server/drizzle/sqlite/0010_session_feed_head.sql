-- The session feed's numbers are never given twice (schema.ts, sessionFeedHead): a write took
-- one more than the highest `changed` left, so deleting the newest sessions gave their numbers
-- again, at or below the cursor of a statistics cache that had read them, and the cache never
-- read the new session.
CREATE TABLE `session_feed_head` (
	`value` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `session_feed_head` (`value`) SELECT coalesce(max(`changed`), 0) FROM `sessions`;
--> statement-breakpoint
-- Every path that deletes sessions (erasure, retention, and any later one) keeps the head.
CREATE TRIGGER `sessions_keep_feed_head` AFTER DELETE ON `sessions` BEGIN
	UPDATE `session_feed_head` SET `value` = max(`value`, OLD.`changed`);
END;
