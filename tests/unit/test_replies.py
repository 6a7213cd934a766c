"""Replies: text and HTML from the same lines; user text escaped; lists grouped."""

from __future__ import annotations

from bot.i18n import Translator
from bot.ratelimit import RateLimiter, Verdict
from bot.replies import ReplyBuilder


def test_params_are_escaped_in_html_and_emphasised_on_request() -> None:
    builder = ReplyBuilder(Translator("en")).say(
        "{who} booked {desk}", strong=("desk",), who="<b>Eve</b> & co", desk="B-1"
    )
    reply = builder.build()
    assert reply.text == "<b>Eve</b> & co booked B-1"
    assert reply.html == "&lt;b&gt;Eve&lt;/b&gt; &amp; co booked <b>B-1</b>"


def test_items_become_one_html_list_and_bullets_in_text() -> None:
    tr = Translator("en")
    reply = ReplyBuilder(tr).say("Title").item("one").item("two").say("End").build()
    assert reply.text == "Title\n• one\n• two\nEnd"
    assert reply.html == "Title<ul><li>one</li><li>two</li></ul>End"


def test_raw_text_keeps_braces_literally() -> None:
    reply = ReplyBuilder(Translator("fr")).text("site {inconnu} <x>").build()
    assert reply.text == "site {inconnu} <x>"
    assert reply.html == "site {inconnu} &lt;x&gt;"


def test_dates_are_rendered_by_babel_in_each_language() -> None:
    from datetime import date

    assert Translator("fr").day(date(2026, 11, 24)) == "mardi 24 novembre"
    assert Translator("en").day(date(2026, 11, 24)) == "Tuesday 24 November"
    assert Translator("fr").day(date(2026, 12, 1)) == "mardi 1er décembre"
    assert Translator("fr").day_with_year(date(2027, 1, 1)) == "vendredi 1er janvier 2027"


def test_rate_limiter_allows_warns_once_drops_then_recovers() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window_s=30, clock=lambda: now[0])
    assert [limiter.check("@a:x") for _ in range(4)] == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.WARN,
        Verdict.DROP,
    ]
    assert limiter.check("@b:x") is Verdict.ALLOW
    now[0] = 31.0
    assert limiter.check("@a:x") is Verdict.ALLOW
