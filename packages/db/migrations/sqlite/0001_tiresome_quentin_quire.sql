CREATE TABLE `pool_status_history` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`actor_email` text,
	`trigger` text NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pool_status_history_pool_id_at_idx` ON `pool_status_history` (`pool_id`,`at`);--> statement-breakpoint
CREATE TABLE `pools` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`strategy` text NOT NULL,
	`pair` text NOT NULL,
	`risk_level` text NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`target_amount_cents` integer NOT NULL,
	`raised_cents` integer DEFAULT 0 NOT NULL,
	`min_investment_cents` integer NOT NULL,
	`start_date` integer NOT NULL,
	`end_date` integer NOT NULL,
	`settle_date` integer NOT NULL,
	`equity_cents` integer DEFAULT 0 NOT NULL,
	`total_shares` integer DEFAULT 0 NOT NULL,
	`investor_count` integer DEFAULT 0 NOT NULL,
	`performance_fee_bps` integer DEFAULT 2000 NOT NULL,
	`model_status` text,
	`equity_as_of` integer,
	`last_heartbeat_at` integer,
	`created_by_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `pools_status_idx` ON `pools` (`status`);--> statement-breakpoint
CREATE INDEX `pools_status_start_date_idx` ON `pools` (`status`,`start_date`);--> statement-breakpoint
CREATE INDEX `pools_status_end_date_idx` ON `pools` (`status`,`end_date`);--> statement-breakpoint
CREATE INDEX `pools_status_settle_date_idx` ON `pools` (`status`,`settle_date`);