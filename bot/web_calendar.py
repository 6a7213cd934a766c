"""The HTTP side of issue 13: calendar feeds at `/calendar/<token>.ics` and the per-site gauges.

A feed answers 404 with the same empty body for a malformed, unknown or revoked token: nothing
tells whether a token ever existed or whose it was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from bot import metrics
from bot.i18n import Translator
from bot.ics import feed, feed_window

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.http import Route
    from storage.clock import Clock
    from storage.core import Storage

log = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PATH = "/calendar/{token:[^/]+}.ics"


def calendar_routes(storage: Storage, settings: Settings, clock: Clock) -> list[Route]:
    """The GET route serving each agent's feed."""

    async def serve(request: web.Request) -> web.StreamResponse:
        token = request.match_info.get("token", "")
        if not TOKEN.match(token):
            raise web.HTTPNotFound()
        now = clock.now()
        start, end = feed_window(now.astimezone(settings.tz).date(), settings.horizon_days)
        found = await storage.calendar_feed(token, start, end)
        if found is None:
            raise web.HTTPNotFound()
        body = feed(found.bookings, Translator(found.locale or settings.locale), now)
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    return [(PATH, serve)]


def gauge_refresher(storage: Storage) -> Callable[[], Awaitable[None]]:
    """A coroutine function setting the per-site gauges of today (before each scrape)."""

    async def refresh() -> None:
        for site in await storage.occupancy_today():
            metrics.SITE_DESKS.labels(site.site).set(site.desks)
            metrics.SITE_BOOKED.labels(site.site).set(site.booked)
            metrics.SITE_CHECKED_IN.labels(site.site).set(site.checked_in)
            metrics.SITE_RELEASED.labels(site.site).set(site.released)

    return refresh
