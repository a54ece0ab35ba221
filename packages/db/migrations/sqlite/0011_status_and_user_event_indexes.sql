DROP INDEX `pools_status_idx`;--> statement-breakpoint
DROP INDEX `events_user_id_id_idx`;--> statement-breakpoint
CREATE INDEX `events_user_id_id_idx` ON `events` (`user_id`,`id`) WHERE "user_id" is not null;