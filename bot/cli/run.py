"""`bureau-volant run`: the bot on Matrix, with /healthz and /metrics, until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Coroutine
from typing import Any

from bot.config import Settings, load_settings
from bot.startup import StartupTimes, collector_paused

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="connect to Matrix (MATRIX_* settings) and answer until stopped",
        description=(
            "Run the bot on Matrix/Tchap. Settings come from the environment or a .env file: "
            "MATRIX_HOMESERVER, MATRIX_USER_ID, MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN "
            "(+ MATRIX_DEVICE_ID), MATRIX_STORE_PATH, DATABASE_URL, BOT_ALLOWED_SERVERS, "
            "BOT_COMMAND_PREFIX, HTTP_PORT... For rehearsals and tests: BOT_CLOCK_START (the "
            "bot's clock starts at that instant) and BOT_SCHEDULER_TICK (seconds between "
            "scheduler runs, default 20)."
        ),
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    if not os.environ.get("LOG_LEVEL") and not args.verbose:
        # A service reports its own progress (login, joins, reconnections); libraries stay quiet.
        logging.getLogger("bot").setLevel(logging.INFO)
    settings = load_settings()
    settings.require_matrix()
    return asyncio.run(serve(settings))


async def serve(settings: Settings) -> int:
    """Run the transport and the HTTP server until a stop signal; returns the exit status.

    Each step of the start is timed, and logged at INFO after the first sync.
    """
    startup = StartupTimes()
    # Imported here, not at the top: the other subcommands of the CLI do without them.
    with collector_paused(freeze=True):
        import aiohttp

        from bot.app import open_app
        from bot.http import CheckResult, HealthServer
        from bot.jobs import process_owner
        from bot.transport.matrix import MatrixSessionError, MatrixTransport
        from bot.web_calendar import calendar_routes, gauge_refresher
        from storage.availability import is_unavailable
        from storage.errors import StorageError
    startup.mark("imports")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with open_app(settings) as app:
            startup.mark("database")
            async with MatrixTransport(
                settings,
                app.dispatcher,
                app.storage,
                owner=process_owner(),
                outbox_written=app.outbox_written,
                startup=startup,  # marks its own steps, and reports after the first sync
            ) as transport:
                app.attach_outbox(transport, transport)

                async def matrix_check() -> CheckResult:
                    ok, detail = transport.sync_health()
                    return CheckResult(ok, detail)

                async def database_check() -> CheckResult:
                    try:
                        await app.storage.ping()
                    except Exception as error:
                        if not is_unavailable(error):
                            raise
                        return CheckResult(False, f"unavailable: {error}")
                    ok, detail = transport.database_health()
                    return CheckResult(True, "answers" if ok else "answers again; " + detail)

                checks = {"matrix_sync": matrix_check, "database": database_check}
                async with HealthServer(
                    settings.http_port,
                    checks,
                    host=settings.http_host,
                    routes=calendar_routes(app.storage, settings, app.clock),
                    before_metrics=gauge_refresher(app.storage),
                ):
                    startup.mark("HTTP server")
                    return await _until_stopped(transport.run(), stop)
    except MatrixSessionError as error:
        log.error("%s", error)
        return 1
    except aiohttp.ClientError as error:  # the homeserver stayed unreachable at start-up
        log.error("cannot reach the homeserver %s: %s", settings.matrix_homeserver, error)
        return 1
    except StorageError as error:
        log.error("database: %s", error)
        return 1
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


async def _until_stopped(run: Coroutine[Any, Any, None], stop: asyncio.Event) -> int:
    """Await the transport's loop until `stop` is set; its own failure propagates."""
    sync = asyncio.create_task(run, name="matrix sync")
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({sync, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if sync in done:
        sync.result()  # raises what stopped the loop
        return 1
    log.info("stopping")
    sync.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sync
    return 0
