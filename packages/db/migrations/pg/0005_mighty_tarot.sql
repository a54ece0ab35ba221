CREATE TABLE "model_api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_id" text,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "model_api_keys" ADD CONSTRAINT "model_api_keys_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_api_keys_key_hash_unique" ON "model_api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "model_api_keys_created_at_idx" ON "model_api_keys" USING btree ("created_at");