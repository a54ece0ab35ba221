-- Rate-limit counters are written on every API request and need no durability: after a crash they start from zero,
-- which only forgives an attacker one window. UNLOGGED skips the write-ahead log, so a hit costs no WAL flush.
ALTER TABLE "rate_limits" SET UNLOGGED;
