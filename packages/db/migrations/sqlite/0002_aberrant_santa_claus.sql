CREATE TABLE `pnl_snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`at` integer NOT NULL,
	`equity_cents` integer NOT NULL,
	`realized_pnl_cents` integer NOT NULL,
	`unrealized_pnl_cents` integer NOT NULL,
	`webhook_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pnl_snapshots_pool_id_at_idx` ON `pnl_snapshots` (`pool_id`,`at`);--> statement-breakpoint
CREATE TABLE `positions` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`symbol` text NOT NULL,
	`quantity` text NOT NULL,
	`avg_entry_price` text NOT NULL,
	`mark_price` text NOT NULL,
	`unrealized_pnl_cents` integer,
	`as_of` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `positions_pool_id_symbol_unique` ON `positions` (`pool_id`,`symbol`);--> statement-breakpoint
CREATE TABLE `trades` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`external_id` text,
	`side` text NOT NULL,
	`symbol` text NOT NULL,
	`quantity` text NOT NULL,
	`price` text NOT NULL,
	`fee_cents` integer,
	`executed_at` integer NOT NULL,
	`webhook_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `trades_pool_id_executed_at_idx` ON `trades` (`pool_id`,`executed_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text,
	`received_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer NOT NULL,
	`reason` text,
	`event_type` text,
	`pool_id` text,
	`ip` text,
	`body_bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received_at_idx` ON `webhook_deliveries` (`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_pool_id_received_at_idx` ON `webhook_deliveries` (`pool_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_outcome_received_at_idx` ON `webhook_deliveries` (`outcome`,`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_messages` (
	`webhook_id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`event_type` text NOT NULL,
	`event_id` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_enc` text NOT NULL,
	`hint` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`created_by_id` text,
	`meta` text
);
