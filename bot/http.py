"""The bot's small HTTP server: `/healthz` for orchestrators and `/metrics` for Prometheus.

`/healthz` runs named checks (Matrix sync, database) and answers 200 when all pass, 503 otherwise,
with a JSON body saying which check failed and why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class CheckResult:
    """One health check's verdict and a short explanation for people."""

    ok: bool
    detail: str


Check = Callable[[], Awaitable[CheckResult]]
Route = tuple[str, Callable[[web.Request], Awaitable[web.StreamResponse]]]


class HealthServer:
    """`async with HealthServer(port, checks):` serves until the block ends."""

    def __init__(
        self,
        port: int,
        checks: Mapping[str, Check],
        host: str = "127.0.0.1",
        registry: CollectorRegistry = REGISTRY,
        routes: Sequence[Route] = (),
        before_metrics: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.checks = dict(checks)
        self.registry = registry
        self.routes = tuple(routes)  # more GET routes (the calendar feeds)
        self.before_metrics = before_metrics  # refreshes gauges read from the database
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> HealthServer:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        for path, handler in self.routes:
            app.router.add_get(path, handler)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        # Port 0 asks the system for a free port: report the real one.
        if self._runner.addresses:
            self.port = self._runner.addresses[0][1]
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def health(self) -> tuple[bool, dict[str, dict[str, object]]]:
        """Run every check (bounded in time); (all passed, per-check verdicts)."""
        names = list(self.checks)
        results = await asyncio.gather(*(self._run_check(name) for name in names))
        report = {name: {"ok": r.ok, "detail": r.detail} for name, r in zip(names, results)}
        return all(r.ok for r in results), report

    async def _run_check(self, name: str) -> CheckResult:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S):
                return await self.checks[name]()
        except TimeoutError:
            return CheckResult(False, f"no answer within {CHECK_TIMEOUT_S:.0f} s")
        except Exception as error:
            log.warning("health check %s failed: %r", name, error)
            return CheckResult(False, f"{type(error).__name__}: {error}")

    async def _healthz(self, request: web.Request) -> web.Response:
        ok, report = await self.health()
        body = {"status": "ok" if ok else "unavailable", "checks": report}
        return web.json_response(body, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        if self.before_metrics is not None:
            try:
                async with asyncio.timeout(CHECK_TIMEOUT_S):
                    await self.before_metrics()
            except Exception as error:  # the other metrics are still worth serving
                log.warning("per-site gauges not refreshed: %r", error)
        response = web.Response(body=generate_latest(self.registry))
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        response.charset = "utf-8"
        return response
