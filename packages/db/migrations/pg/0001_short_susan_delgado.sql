CREATE TABLE "pool_status_history" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"trigger" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pools" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"strategy" text NOT NULL,
	"pair" text NOT NULL,
	"risk_level" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"target_amount_cents" bigint NOT NULL,
	"raised_cents" bigint DEFAULT 0 NOT NULL,
	"min_investment_cents" bigint NOT NULL,
	"start_date" timestamp with time zone NOT NULL,
	"end_date" timestamp with time zone NOT NULL,
	"settle_date" timestamp with time zone NOT NULL,
	"equity_cents" bigint DEFAULT 0 NOT NULL,
	"total_shares" bigint DEFAULT 0 NOT NULL,
	"investor_count" integer DEFAULT 0 NOT NULL,
	"performance_fee_bps" integer DEFAULT 2000 NOT NULL,
	"model_status" jsonb,
	"equity_as_of" timestamp with time zone,
	"last_heartbeat_at" timestamp with time zone,
	"created_by_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pool_status_history" ADD CONSTRAINT "pool_status_history_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pools" ADD CONSTRAINT "pools_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pool_status_history_pool_id_at_idx" ON "pool_status_history" USING btree ("pool_id","at");--> statement-breakpoint
CREATE INDEX "pools_status_idx" ON "pools" USING btree ("status");--> statement-breakpoint
CREATE INDEX "pools_status_start_date_idx" ON "pools" USING btree ("status","start_date");--> statement-breakpoint
CREATE INDEX "pools_status_end_date_idx" ON "pools" USING btree ("status","end_date");--> statement-breakpoint
CREATE INDEX "pools_status_settle_date_idx" ON "pools" USING btree ("status","settle_date");