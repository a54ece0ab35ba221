-- Event ids in commit-safe order without a global lock (ARCHITECTURE.md "Live events"): an event's id is its writing
-- transaction's id times 2^16 plus its position in that transaction. Readers take only ids below
-- pg_snapshot_xmin(pg_current_snapshot()) * 2^16, which belong to finished transactions, so a transaction that
-- commits late can never have an id a reader already passed. The position counts in a transaction-local setting.
CREATE OR REPLACE FUNCTION tradepool_next_event_id() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  xact bigint := (pg_current_xact_id()::text)::bigint;
  position bigint := coalesce(nullif(current_setting('tradepool.event_position', true), ''), '0')::bigint + 1;
BEGIN
  IF position >= 65536 THEN
    RAISE EXCEPTION 'a transaction may append at most 65535 events';
  END IF;
  -- Ids stay exact in JavaScript numbers (2^53) up to transaction id 2^37.
  IF xact >= 137438953472 THEN
    RAISE EXCEPTION 'transaction id % is beyond the event id range', xact;
  END IF;
  PERFORM set_config('tradepool.event_position', position::text, true);
  RETURN xact * 65536 + position;
END
$$;--> statement-breakpoint
-- Wakes every process's dispatcher when the appending transaction commits (NOTIFY is delivered on commit only).
-- The payload is the transaction id, never the event: identical notifications in one transaction collapse into one.
CREATE OR REPLACE FUNCTION tradepool_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tradepool_events', pg_current_xact_id()::text);
  RETURN NULL;
END
$$;--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "id" DROP IDENTITY;--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "id" SET DEFAULT tradepool_next_event_id();--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "xact_id" bigint DEFAULT (pg_current_xact_id()::text)::bigint;--> statement-breakpoint
CREATE TRIGGER events_notify AFTER INSERT ON "events" FOR EACH STATEMENT EXECUTE FUNCTION tradepool_events_notify();
