CREATE TABLE `model_api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by_id` text,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_api_keys_key_hash_unique` ON `model_api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `model_api_keys_created_at_idx` ON `model_api_keys` (`created_at`);