"""Withheld room keys: parsing the to-device notice, and one notice per room and hour."""

from __future__ import annotations

from bot.i18n import Translator
from bot.transport.matrix_withheld import (
    OTHER_TEXT,
    UNVERIFIED_TEXT,
    Withheld,
    WithheldSessions,
    notice_text,
    parse_withheld,
)

CONTENT = {
    "algorithm": "m.megolm.v1.aes-sha2",
    "room_id": "!dm:tchap.test",
    "session_id": "S1",
    "sender_key": "curve",
    "code": "m.unverified",
    "reason": "The sender has disabled encrypting to unverified devices.",
}


def test_a_withheld_notice_is_parsed_and_other_types_are_not() -> None:
    withheld = parse_withheld("m.room_key.withheld", "@alice:tchap.test", CONTENT)
    assert withheld == Withheld(
        "S1", "!dm:tchap.test", "@alice:tchap.test", "m.unverified", CONTENT["reason"]
    )
    assert parse_withheld("m.dummy", "@alice:tchap.test", CONTENT) is None
    assert parse_withheld("m.room_key.withheld", "@a:t", {"session_id": "S"}) is None
    odd = parse_withheld("m.room_key.withheld", "@a:t", {"code": "x.custom"})
    assert odd is not None and odd.label == "other" and odd.session_id == ""


def test_sessions_are_remembered_and_a_room_is_told_once_an_hour() -> None:
    sessions = WithheldSessions(capacity=2)
    for session in ("S1", "S2", "S3"):
        content = {**CONTENT, "session_id": session}
        withheld = parse_withheld("m.room_key.withheld", "@a:t", content)
        assert withheld is not None
        sessions.record(withheld)
    assert sessions.get("S1") is None and sessions.get("S3") is not None  # bounded
    assert sessions.may_tell("!dm", now=0.0)
    assert not sessions.may_tell("!dm", now=3599.0)
    assert sessions.may_tell("!other", now=10.0)
    assert sessions.may_tell("!dm", now=3601.0)


def test_the_notice_says_why_in_french_by_default() -> None:
    french = Translator("fr")
    assert notice_text("m.unverified") == UNVERIFIED_TEXT
    assert notice_text("m.unavailable") == OTHER_TEXT
    text = french.gettext(UNVERIFIED_TEXT)
    assert text.startswith("🔒 Je n’ai pas pu lire votre message\u00a0:")
    assert "appareils vérifiés" in text
    assert "(m.no_olm)" in french.gettext(OTHER_TEXT, code="m.no_olm")
