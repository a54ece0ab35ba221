CREATE TABLE "pool_capital_flows" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"amount_cents" bigint NOT NULL,
	"kind" text NOT NULL,
	"investment_id" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pnl_snapshots" ADD COLUMN "capital_cents" bigint;--> statement-breakpoint
ALTER TABLE "pnl_snapshots" ADD COLUMN "nav_micros" bigint;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "capital_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "realized_pnl_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "unrealized_pnl_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pool_capital_flows" ADD CONSTRAINT "pool_capital_flows_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pool_capital_flows_pool_id_at_idx" ON "pool_capital_flows" USING btree ("pool_id","at");--> statement-breakpoint
-- Backfill: pools that already trade get their raised money as capital (one activation flow at the start date) and
-- keep the equity they showed, the difference recorded as unrealized PnL.
UPDATE "pools" SET "capital_cents" = "raised_cents", "unrealized_pnl_cents" = "equity_cents" - "raised_cents" WHERE "status" NOT IN ('PENDING', 'CANCELLED');--> statement-breakpoint
INSERT INTO "pool_capital_flows" ("id", "pool_id", "at", "amount_cents", "kind", "investment_id", "created_at") SELECT 'activation_' || "id", "id", "start_date", "raised_cents", 'ACTIVATION', NULL, now() FROM "pools" WHERE "status" NOT IN ('PENDING', 'CANCELLED') AND "raised_cents" > 0;
