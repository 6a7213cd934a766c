"""Snapshots of the digest's text and HTML, in French and in English (the pure builder)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.digest import DigestInput, build_digest
from bot.i18n import Translator
from storage.types import Presence, PresenceKind, Slot

DAY = date(2026, 11, 24)
MEMBERS = [
    ("@alice:x", "Alice Martin"),
    ("@bob:x", "Bob <Durand>"),
    ("@carol:x", "Carol"),
    ("@dan:x", None),
    ("@eve:x", "Eve"),
    ("@fay:x", "Fay"),
]
PRESENCES = [
    Presence("@alice:x", "Alice Martin", PresenceKind.ONSITE, "Metz", "B-204", Slot.DAY),
    Presence("@bob:x", "Bob <Durand>", PresenceKind.ONSITE, "Metz", "B-101", Slot.AM),
    Presence("@bob:x", "Bob <Durand>", PresenceKind.REMOTE, None, None, Slot.PM),
    Presence("@carol:x", "Carol", PresenceKind.ONSITE, "Nantes", "N-1", Slot.PM),
    Presence("@dan:x", None, PresenceKind.LEAVE, None, None, Slot.DAY),
    Presence("@zed:x", "Not in the team", PresenceKind.ONSITE, "Metz", "B-102", Slot.DAY),
]

FR_TEXT = """\
📋 Présences du mardi 24 novembre
Sur site 3 · télétravail 1 · congé 1 · déplacement 0 · sans nouvelles 2
🏢 Metz : Alice Martin (B-204), Bob <Durand> (B-101, matin)
🏢 Nantes : Carol (N-1, après-midi)
🏠 Télétravail : Bob <Durand>
🌴 Congé : dan
❔ Sans nouvelles : Eve, Fay"""

EN_TEXT = """\
📋 Presence on Tuesday 24 November
On site 3 · remote 1 · on leave 1 · travelling 0 · no news 2
🏢 Metz: Alice Martin (B-204), Bob <Durand> (B-101, morning)
🏢 Nantes: Carol (N-1, afternoon)
🏠 Remote: Bob <Durand>
🌴 On leave: dan
❔ No news: Eve, Fay"""

FR_HTML = (
    "<b>📋 Présences du mardi 24 novembre</b>"
    "<br>Sur site 3 · télétravail 1 · congé 1 · déplacement 0 · sans nouvelles 2"
    "<table><tr><th>Site</th><th>Personne</th><th>Bureau</th><th>Quand</th></tr>"
    "<tr><td>Metz</td><td>Alice Martin</td><td>B-204</td><td>journée</td></tr>"
    "<tr><td>Metz</td><td>Bob &lt;Durand&gt;</td><td>B-101</td><td>matin</td></tr>"
    "<tr><td>Nantes</td><td>Carol</td><td>N-1</td><td>après-midi</td></tr></table>"
    "🏠 Télétravail : Bob &lt;Durand&gt;<br>🌴 Congé : dan<br>❔ Sans nouvelles : Eve, Fay"
)


@pytest.mark.parametrize(("locale", "expected"), [("fr", FR_TEXT), ("en", EN_TEXT)])
def test_digest_text(locale: str, expected: str) -> None:
    reply = build_digest(DigestInput(DAY, MEMBERS, PRESENCES), Translator(locale))
    assert reply.text == expected
    assert reply.mentions == ()  # nobody is pinged at 8:30


def test_digest_html_is_a_table_with_escaped_names() -> None:
    reply = build_digest(DigestInput(DAY, MEMBERS, PRESENCES), Translator("fr"))
    assert reply.html == FR_HTML


def test_a_day_with_nobody_is_one_line() -> None:
    reply = build_digest(DigestInput(DAY, MEMBERS, []), Translator("fr"))
    assert reply.text == (
        "📋 Présences du mardi 24 novembre : personne ne s’est encore manifesté (6 membres)."
    )
    assert "\n" not in reply.text


def test_late_digest_says_so() -> None:
    reply = build_digest(
        DigestInput(DAY, MEMBERS, PRESENCES, late_after="08:30"), Translator("fr")
    )
    assert reply.text.splitlines()[0] == (
        "📋 Présences du mardi 24 novembre (envoyé en retard : j’étais indisponible à 08:30)"
    )
