"""Backoff between retries and the naming of homeserver errors."""

from __future__ import annotations

import random

from bot.transport.matrix_retry import Backoff, error_kind, is_retryable, retry_delay


def test_backoff_doubles_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(initial=1.0, cap=60.0, jitter=0.0)
    delays = [backoff.next_delay() for _ in range(9)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    backoff.reset()
    assert backoff.next_delay() == 1


def test_jitter_stays_within_its_share_and_under_the_cap() -> None:
    backoff = Backoff(initial=10.0, cap=60.0, jitter=0.1, _random=random.Random(7))
    first = backoff.next_delay()
    assert 9.0 <= first <= 11.0
    for _ in range(20):
        assert backoff.next_delay() <= 60.0


def test_the_servers_retry_after_wins_over_the_backoff() -> None:
    backoff = Backoff(initial=1.0, jitter=0.0)
    assert retry_delay(2500, backoff) == 2.5
    assert backoff.failures == 1
    assert retry_delay(None, backoff) == 2.0  # then the backoff continues from there
    assert retry_delay(0, backoff) == 4.0


def test_error_kinds_are_few_and_named() -> None:
    assert error_kind("ORG_MATRIX_EXPIRED_ACCOUNT", 403) == "expired_account"
    assert error_kind("M_UNKNOWN_TOKEN", 401) == "unknown_token"
    assert error_kind("M_LIMIT_EXCEEDED", 429) == "rate_limited"
    assert error_kind(None, 429) == "rate_limited"
    assert error_kind(None, 502) == "server_error"
    assert error_kind("M_FORBIDDEN", 403) == "refused"
    assert error_kind(None, None) == "error"


def test_only_rate_limits_and_server_trouble_are_retried() -> None:
    assert is_retryable("M_LIMIT_EXCEEDED", 429)
    assert is_retryable(None, 503)
    assert is_retryable(None, None)  # no answer at all
    assert not is_retryable("M_FORBIDDEN", 403)
    assert not is_retryable("ORG_MATRIX_EXPIRED_ACCOUNT", 403)
