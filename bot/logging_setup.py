"""Logging is configured once, here, for every entry point."""

from __future__ import annotations

import logging
import os


def configure_logging(verbose: bool = False) -> None:
    """Log to stderr; LOG_LEVEL overrides the default (WARNING, or DEBUG with --verbose)."""
    level = os.environ.get("LOG_LEVEL") or ("DEBUG" if verbose else "WARNING")
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Third-party libraries are chatty at INFO; keep them quiet unless debugging.
    for noisy in ("nio", "aiosqlite", "asyncio", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(max(logging.getLogger().level, logging.WARNING))
