CREATE TABLE `pool_capital_flows` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`at` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`kind` text NOT NULL,
	`investment_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pool_capital_flows_pool_id_at_idx` ON `pool_capital_flows` (`pool_id`,`at`);--> statement-breakpoint
ALTER TABLE `pnl_snapshots` ADD `capital_cents` integer;--> statement-breakpoint
ALTER TABLE `pnl_snapshots` ADD `nav_micros` integer;--> statement-breakpoint
ALTER TABLE `pools` ADD `capital_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `pools` ADD `realized_pnl_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `pools` ADD `unrealized_pnl_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill: pools that already trade get their raised money as capital (one activation flow at the start date) and
-- keep the equity they showed, the difference recorded as unrealized PnL.
UPDATE `pools` SET `capital_cents` = `raised_cents`, `unrealized_pnl_cents` = `equity_cents` - `raised_cents` WHERE `status` NOT IN ('PENDING', 'CANCELLED');--> statement-breakpoint
INSERT INTO `pool_capital_flows` (`id`, `pool_id`, `at`, `amount_cents`, `kind`, `investment_id`, `created_at`) SELECT 'activation_' || `id`, `id`, `start_date`, `raised_cents`, 'ACTIVATION', NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM `pools` WHERE `status` NOT IN ('PENDING', 'CANCELLED') AND `raised_cents` > 0;
