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
