#!/usr/bin/env python3
"""Tradepool trading-model client: learns what to trade from the model API and reports to the model webhook.

Standard library only (Python 3.8+). Deliveries are signed per the Standard Webhooks specification:
HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{raw body}" with the base64 key after "whsec_".
A failed delivery is retried with the SAME webhook-id, so Tradepool applies it at most once.

Tradepool owns the money: a pool's capital is what its investors put in (GET /api/v1/model/pools tells you, with
every flow and when it joined). The model reports its performance, not the pool's value: `realizedPnl` and
`unrealizedPnl` are cumulative since the pool started trading, and the pool is worth capital + realized + unrealized.
`equity` is optional; when sent it is checked against capital-as-of-`at` + PnL (409 if it disagrees).

Use it as a library:

    from model_client import TradepoolModelClient
    client = TradepoolModelClient("https://tradepool.example", "whsec_...", api_key="tpk_...")
    for pool in client.pools():                      # what to trade, with how much
        print(pool["id"], pool["pair"], pool["capitalCents"])
    client.trade_executed(pool_id, side="BUY", symbol="BTC/USDT", quantity="1", price="45000")
    client.pnl_update(pool_id, realized_pnl="400", unrealized_pnl="123.45")
    client.pnl_update(pool_id, realized_pnl="400", unrealized_pnl="123.45", with_equity=True)  # adds the cross-check

or from the command line:

    export TRADEPOOL_URL=http://localhost:3000 MODEL_WEBHOOK_SECRET=whsec_... MODEL_API_KEY=tpk_...
    python3 model_client.py pools                    # the pools to trade and their capital (add --json for JSON)
    python3 model_client.py trade <pool-id> BUY BTC/USDT 1 45000
    python3 model_client.py pnl <pool-id> 400 123.45 [--with-equity | --equity 10523.45]

Money-like values may be given as strings ("45000.10") to keep them exact; Tradepool never rounds them through
floating point.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from decimal import Decimal

WEBHOOK_PATH = "/api/v1/webhook/model"
MODEL_POOLS_PATH = "/api/v1/model/pools"


class DeliveryError(Exception):
    """Tradepool refused the delivery (4xx): retrying the same event will not help."""

    def __init__(self, status, body):
        super().__init__("HTTP %s: %s" % (status, body.get("message", body)))
        self.status = status
        self.body = body


def sign(secret, webhook_id, timestamp, body):
    """The `webhook-signature` header value for one delivery."""
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    message = ("%s.%d.%s" % (webhook_id, timestamp, body)).encode("utf-8")
    return "v1," + base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def error_answer(error):
    """Tradepool's JSON error body ({code, message}) of a refused request, or its raw text as the message."""
    payload = error.read().decode("utf-8")
    try:
        return json.loads(payload)
    except ValueError:
        return {"message": payload}


def now_iso():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def capital_as_of(pool, at):
    """Capital in cents that had joined `pool` (an item of pools()) by the ISO time `at`."""
    moment = parse_time(at)
    return sum(flow["amountCents"] for flow in pool["capitalFlows"] if parse_time(flow["at"]) <= moment)


def equity_for(pool, realized_pnl, unrealized_pnl, at):
    """The equity Tradepool expects for a report: capital as of `at` + cumulative PnL, as an exact dollar string."""
    capital = Decimal(capital_as_of(pool, at)) / 100
    equity = capital + Decimal(str(realized_pnl)) + Decimal(str(unrealized_pnl))
    return str(max(equity, Decimal(0)).quantize(Decimal("0.01")))


class TradepoolModelClient:
    def __init__(self, base_url, secret=None, api_key=None, timeout=10.0, max_attempts=5, backoff_seconds=0.5):
        self.base_url = base_url.rstrip("/")
        self.url = self.base_url + WEBHOOK_PATH
        self.secret = secret
        self.api_key = api_key
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds

    def pools(self):
        """The pools to trade (ACTIVE, PAUSED, CLOSED, SETTLING): id, name, pair, status, capitalCents, equityCents,
        lastReportAt and capitalFlows [{at, amountCents}]. Needs a model API key (from an admin, or MODEL_API_KEY)."""
        if not self.api_key:
            raise ValueError("a model API key is needed for pools() (api_key=..., MODEL_API_KEY)")
        request = urllib.request.Request(
            self.base_url + MODEL_POOLS_PATH,
            headers={"authorization": "Bearer " + self.api_key, "accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))["items"]
        except urllib.error.HTTPError as error:
            raise DeliveryError(error.code, error_answer(error))

    def pool(self, pool_id):
        for pool in self.pools():
            if pool["id"] == pool_id:
                return pool
        raise DeliveryError(404, {"message": "pool %s is not one the model trades" % pool_id})

    def send(self, event, pool_id, data, webhook_id=None):
        """Posts one event; returns Tradepool's JSON answer. Retries network errors, 429 and 5xx with the same id."""
        if not self.secret:
            raise ValueError("the webhook secret (whsec_...) is needed to post events")
        webhook_id = webhook_id or "msg_" + uuid.uuid4().hex
        body = json.dumps({"event": event, "poolId": pool_id, "data": data}, separators=(",", ":"))
        last_error = None
        for attempt in range(1, self.max_attempts + 1):
            timestamp = int(time.time())
            request = urllib.request.Request(
                self.url,
                data=body.encode("utf-8"),
                method="POST",
                headers={
                    "content-type": "application/json",
                    "webhook-id": webhook_id,
                    "webhook-timestamp": str(timestamp),
                    "webhook-signature": sign(self.secret, webhook_id, timestamp, body),
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    answer = json.loads(response.read().decode("utf-8") or "{}")
                    answer["status"] = response.status
                    answer["webhookId"] = webhook_id
                    return answer
            except urllib.error.HTTPError as error:
                answer = error_answer(error)
                if error.code != 429 and error.code < 500:
                    raise DeliveryError(error.code, answer)
                last_error = DeliveryError(error.code, answer)
            except (urllib.error.URLError, OSError) as error:
                last_error = error
            if attempt < self.max_attempts:
                time.sleep(self.backoff_seconds * (2 ** (attempt - 1)))
        raise last_error

    def trade_executed(self, pool_id, side, symbol, quantity, price, fee=None, trade_id=None, executed_at=None, webhook_id=None):
        data = {"side": side, "symbol": symbol, "quantity": quantity, "price": price, "executedAt": executed_at or now_iso()}
        if fee is not None:
            data["fee"] = fee
        if trade_id is not None:
            data["tradeId"] = trade_id
        return self.send("trade_executed", pool_id, data, webhook_id)

    def position_update(self, pool_id, symbol, quantity, avg_entry_price, mark_price, unrealized_pnl=None, at=None, webhook_id=None):
        data = {"symbol": symbol, "quantity": quantity, "avgEntryPrice": avg_entry_price, "markPrice": mark_price, "at": at or now_iso()}
        if unrealized_pnl is not None:
            data["unrealizedPnl"] = unrealized_pnl
        return self.send("position_update", pool_id, data, webhook_id)

    def pnl_update(self, pool_id, realized_pnl, unrealized_pnl, equity=None, with_equity=False, at=None, webhook_id=None):
        """Reports cumulative PnL (since the pool started trading, in dollars). `equity` is an optional cross-check;
        with_equity=True computes it as capital-as-of-`at` + PnL from the model API (needs api_key)."""
        at = at or now_iso()
        data = {"realizedPnl": realized_pnl, "unrealizedPnl": unrealized_pnl, "at": at}
        if with_equity and equity is None:
            equity = equity_for(self.pool(pool_id), realized_pnl, unrealized_pnl, at)
        if equity is not None:
            data["equity"] = equity
        return self.send("pnl_update", pool_id, data, webhook_id)

    def pool_update(self, pool_id, message=None, metrics=None, webhook_id=None):
        data = {}
        if message is not None:
            data["message"] = message
        if metrics is not None:
            data["metrics"] = metrics
        return self.send("pool_update", pool_id, data, webhook_id)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Post a signed trading-model event to Tradepool.")
    parser.add_argument("--url", default=os.environ.get("TRADEPOOL_URL", "http://localhost:3000"))
    parser.add_argument("--secret", default=os.environ.get("MODEL_WEBHOOK_SECRET"))
    parser.add_argument("--api-key", default=os.environ.get("MODEL_API_KEY"), help="model API key (tpk_...)")
    parser.add_argument("--webhook-id", help="reuse an id to retry a delivery (Tradepool applies it once)")
    sub = parser.add_subparsers(dest="command", required=True)
    pools = sub.add_parser("pools", help="list the pools to trade and their capital (model API)")
    pools.add_argument("--json", action="store_true", help="print the model API's JSON answer")
    trade = sub.add_parser("trade", help="trade_executed")
    trade.add_argument("pool")
    trade.add_argument("side", choices=["BUY", "SELL"])
    trade.add_argument("symbol")
    trade.add_argument("quantity")
    trade.add_argument("price")
    pnl = sub.add_parser("pnl", help="pnl_update")
    pnl.add_argument("pool")
    pnl.add_argument("realized", help="cumulative realized PnL in dollars")
    pnl.add_argument("unrealized", help="current unrealized PnL in dollars")
    pnl.add_argument("--equity", help="optional cross-check: capital + PnL in dollars")
    pnl.add_argument("--with-equity", action="store_true", help="compute the cross-check from the model API")
    status = sub.add_parser("status", help="pool_update")
    status.add_argument("pool")
    status.add_argument("message")
    args = parser.parse_args(argv)
    needs_key = args.command == "pools" or (args.command == "pnl" and args.with_equity)
    if needs_key and not args.api_key:
        parser.error("set --api-key or MODEL_API_KEY (tpk_..., created on the admin Integrations page)")
    if args.command != "pools" and not args.secret:
        parser.error("set --secret or MODEL_WEBHOOK_SECRET (whsec_...)")
    client = TradepoolModelClient(args.url, args.secret, api_key=args.api_key)
    try:
        if args.command == "pools":
            items = client.pools()
            if args.json:
                print(json.dumps({"items": items}))
            else:
                print("%-36s  %-9s  %-10s  %14s  %14s  %s" % ("id", "status", "pair", "capital", "equity", "name"))
                for pool in items:
                    print("%-36s  %-9s  %-10s  %14s  %14s  %s" % (
                        pool["id"], pool["status"], pool["pair"],
                        "$%.2f" % (pool["capitalCents"] / 100), "$%.2f" % (pool["equityCents"] / 100), pool["name"]))
            return 0
        if args.command == "trade":
            answer = client.trade_executed(args.pool, args.side, args.symbol, args.quantity, args.price, webhook_id=args.webhook_id)
        elif args.command == "pnl":
            answer = client.pnl_update(args.pool, args.realized, args.unrealized, equity=args.equity,
                                       with_equity=args.with_equity, webhook_id=args.webhook_id)
        else:
            answer = client.pool_update(args.pool, message=args.message, webhook_id=args.webhook_id)
    except DeliveryError as error:
        print(json.dumps({"status": error.status, **error.body}), file=sys.stderr)
        return 1
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
