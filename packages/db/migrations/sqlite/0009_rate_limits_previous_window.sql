ALTER TABLE `rate_limits` ADD `previous_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rate_limits` ADD `previous_reset_at` integer;