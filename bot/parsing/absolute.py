"""Plain absolute date chunks ("3 déc. 2026", "12/01/2027") read by dateparser.

Only chunks the grammar has already isolated come here, never the chat text: dateparser on raw
text mistakes "ma", "je", "me" for weekdays. It is imported on first use, because importing it
costs more than the rest of the parser's start-up.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    import dateparser

    return dateparser


def parse_absolute(chunk: str, now: datetime, lang: str = "fr") -> date | None:
    """The date written in `chunk` (day first), or None when dateparser cannot read it.

    Chunks carry their year, so the time of day does not matter: answers are cached per day,
    and the same dates written again that day cost nothing.
    """
    return _parse_absolute(chunk, now.date(), lang if lang in ("fr", "en") else "fr")


@lru_cache(maxsize=1024)
def _parse_absolute(chunk: str, today: date, lang: str) -> date | None:
    settings = {
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime.combine(today, time()),
    }
    try:
        parsed = _dateparser().parse(chunk, languages=[lang], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; the grammar decides
        log.debug("dateparser failed on %r", chunk, exc_info=True)
        return None
    return parsed.date() if parsed is not None else None
