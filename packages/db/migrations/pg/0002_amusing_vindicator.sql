CREATE TABLE "pnl_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"equity_cents" bigint NOT NULL,
	"realized_pnl_cents" bigint NOT NULL,
	"unrealized_pnl_cents" bigint NOT NULL,
	"webhook_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"symbol" text NOT NULL,
	"quantity" text NOT NULL,
	"avg_entry_price" text NOT NULL,
	"mark_price" text NOT NULL,
	"unrealized_pnl_cents" bigint,
	"as_of" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trades" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"external_id" text,
	"side" text NOT NULL,
	"symbol" text NOT NULL,
	"quantity" text NOT NULL,
	"price" text NOT NULL,
	"fee_cents" bigint,
	"executed_at" timestamp with time zone NOT NULL,
	"webhook_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"webhook_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer NOT NULL,
	"reason" text,
	"event_type" text,
	"pool_id" text,
	"ip" text,
	"body_bytes" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_messages" (
	"webhook_id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"event_type" text NOT NULL,
	"event_id" text,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_enc" text NOT NULL,
	"hint" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by_id" text,
	"meta" jsonb
);
--> statement-breakpoint
ALTER TABLE "pnl_snapshots" ADD CONSTRAINT "pnl_snapshots_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trades" ADD CONSTRAINT "trades_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pnl_snapshots_pool_id_at_idx" ON "pnl_snapshots" USING btree ("pool_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "positions_pool_id_symbol_unique" ON "positions" USING btree ("pool_id","symbol");--> statement-breakpoint
CREATE INDEX "trades_pool_id_executed_at_idx" ON "trades" USING btree ("pool_id","executed_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pool_id_received_at_idx" ON "webhook_deliveries" USING btree ("pool_id","received_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_outcome_received_at_idx" ON "webhook_deliveries" USING btree ("outcome","received_at");