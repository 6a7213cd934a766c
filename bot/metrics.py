"""Prometheus metrics, defined once; `/metrics` (bot/http.py) exposes the default registry."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

COMMANDS = Counter(
    "bureau_volant_commands_total",
    "Commands handled, by parsed intent and outcome (ok, refused, error, rate_limited...).",
    ["intent", "outcome"],
)
REPLY_LATENCY = Histogram(
    "bureau_volant_reply_latency_seconds",
    "Time from receiving a command to its reply being handed to the transport.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SYNC_ERRORS = Counter(
    "bureau_volant_sync_errors_total", "Failed Matrix sync requests, by kind.", ["kind"]
)
BOOKINGS = Counter(
    "bureau_volant_bookings_total", "Per-day reservation outcomes, by outcome.", ["outcome"]
)
LAST_SYNC = Gauge(
    "bureau_volant_last_sync_timestamp_seconds", "Unix time of the last successful Matrix sync."
)
UNDECRYPTABLE = Counter(
    "bureau_volant_undecryptable_events_total",
    "Encrypted events the bot gave up decrypting, by reason (withheld code, key_never_arrived, "
    "decryption_error).",
    ["reason"],
)
WITHHELD_KEYS = Counter(
    "bureau_volant_withheld_room_keys_total",
    "m.room_key.withheld notices received (room keys a client refused to share), by code.",
    ["code"],
)
OUTBOX_SENT = Counter(
    "bureau_volant_outbox_sent_total", "Outbox messages delivered, by kind.", ["kind"]
)
OUTBOX_FAILED = Counter(
    "bureau_volant_outbox_failed_total",
    "Outbox messages marked failed (bad destination, or failing for 24 h), by reason.",
    ["reason"],
)
OUTBOX_RETRIES = Counter(
    "bureau_volant_outbox_retries_total",
    "Outbox deliveries to try again later, by reason.",
    ["reason"],
)
OUTBOX_ROWS = Gauge(
    "bureau_volant_outbox_rows", "Outbox rows by status (pending, failed, sent).", ["status"]
)
DATABASE_UP = Gauge(
    "bureau_volant_database_up", "1 while the database answers, 0 while it is unavailable."
)
COMMANDS_WAITING = Gauge(
    "bureau_volant_commands_waiting",
    "Commands received while the database was unavailable, waiting to be handled.",
)

# Per-site figures of today (issue 13), refreshed from the database when /metrics is scraped.
SITE_DESKS = Gauge("bureau_volant_site_desks", "Active desks of the site today.", ["site"])
SITE_BOOKED = Gauge(
    "bureau_volant_site_booked_half_days", "Desk-half-days booked at the site today.", ["site"]
)
SITE_CHECKED_IN = Gauge(
    "bureau_volant_site_checked_in", "Bookings checked in at the site today.", ["site"]
)
SITE_RELEASED = Gauge(
    "bureau_volant_site_released", "Bookings released as no-shows at the site today.", ["site"]
)
