ALTER TABLE "rate_limits" DROP COLUMN "previous_count";--> statement-breakpoint
ALTER TABLE "rate_limits" DROP COLUMN "previous_reset_at";