"""/healthz and /metrics served by aiohttp on a real local port."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from prometheus_client import CollectorRegistry, Counter

from bot.http import CheckResult, HealthServer


async def passing() -> CheckResult:
    return CheckResult(True, "fine")


async def failing() -> CheckResult:
    return CheckResult(False, "last sync failed")


async def crashing() -> CheckResult:
    raise ConnectionRefusedError("database down")


async def get(server: HealthServer, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{server.port}{path}") as response:
            return response.status, response.content_type, await response.text()


async def test_healthz_is_200_when_every_check_passes() -> None:
    async with HealthServer(0, {"matrix_sync": passing, "database": passing}) as server:
        assert server.port > 0
        status, content_type, body = await get(server, "/healthz")
    assert status == 200 and content_type == "application/json"
    assert '"status": "ok"' in body and '"detail": "fine"' in body


async def test_healthz_is_503_and_says_which_check_failed() -> None:
    checks = {"matrix_sync": failing, "database": crashing}
    async with HealthServer(0, checks) as server:
        ok, report = await server.health()
        status, _, _ = await get(server, "/healthz")
    assert not ok and status == 503
    assert report["matrix_sync"] == {"ok": False, "detail": "last sync failed"}
    assert report["database"] == {
        "ok": False,
        "detail": "ConnectionRefusedError: database down",
    }


async def test_a_check_that_hangs_fails_instead_of_hanging_healthz(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.http.CHECK_TIMEOUT_S", 0.1)

    async def hanging() -> CheckResult:
        await asyncio.sleep(10)
        return CheckResult(True, "too late")

    async with HealthServer(0, {"database": hanging}) as server:
        ok, report = await server.health()
    assert not ok and report["database"]["detail"].startswith("no answer within")


async def test_metrics_exposes_the_registry_in_prometheus_format() -> None:
    registry = CollectorRegistry()
    Counter("bureau_volant_test_total", "A test counter.", registry=registry).inc(3)
    async with HealthServer(0, {}, registry=registry) as server:
        status, content_type, body = await get(server, "/metrics")
    assert status == 200 and content_type == "text/plain"
    assert "bureau_volant_test_total 3.0" in body
