"""Waiting between retries, and naming what went wrong with a homeserver request.

Pure code (no nio): the sync loop, invite joins and message sends use it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Tchap answers 403 with this code when the bot account has passed its expiry date.
EXPIRED_ACCOUNT = "ORG_MATRIX_EXPIRED_ACCOUNT"
LIMIT_EXCEEDED = "M_LIMIT_EXCEEDED"
UNKNOWN_TOKEN = "M_UNKNOWN_TOKEN"


@dataclass
class Backoff:
    """Exponential backoff with jitter: initial, ×factor each failure, never above `cap`.

    `reset()` after a success. Jitter (±`jitter` of the delay) spreads the retries of many bots
    hitting the same homeserver after an outage.
    """

    initial: float = 1.0
    cap: float = 60.0
    factor: float = 2.0
    jitter: float = 0.1
    failures: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def next_delay(self) -> float:
        """The delay before the next attempt (and count one more failure)."""
        base = min(self.cap, self.initial * self.factor**self.failures)
        self.failures += 1
        spread = base * self.jitter
        return max(0.0, min(self.cap, base + self._random.uniform(-spread, spread)))

    def reset(self) -> None:
        """Back to the initial delay (after a success)."""
        self.failures = 0


def retry_delay(retry_after_ms: int | None, backoff: Backoff) -> float:
    """How long to wait after a refusal: the server's `retry_after_ms` when it gave one."""
    if retry_after_ms is not None and retry_after_ms > 0:
        backoff.failures += 1
        return retry_after_ms / 1000
    return backoff.next_delay()


def error_kind(status_code: str | None, http_status: int | None) -> str:
    """A short, bounded label for a failed request (metrics label and log word)."""
    if status_code == EXPIRED_ACCOUNT:
        return "expired_account"
    if status_code == UNKNOWN_TOKEN:
        return "unknown_token"
    if status_code == LIMIT_EXCEEDED or http_status == 429:
        return "rate_limited"
    if http_status is not None and http_status >= 500:
        return "server_error"
    if http_status is not None and http_status >= 400:
        return "refused"
    return "error"


def is_retryable(status_code: str | None, http_status: int | None) -> bool:
    """Whether sending the same request again later can succeed (rate limits, server trouble)."""
    if status_code == LIMIT_EXCEEDED or http_status == 429:
        return True
    return http_status is None or http_status >= 500
