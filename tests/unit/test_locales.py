"""The catalogs: every message the code marks has a French text with the same placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def extracted_ids(tmp_path: Path) -> set[str]:
    """Message ids as `make locales-extract` finds them in the code today."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-k",
            "plural:1,2",
            "-o",
            str(pot),
            "bot",
            "storage",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def french_catalog() -> dict[str, tuple[str, ...]]:
    with (ROOT / "locales/fr/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            (m.string,) if isinstance(m.string, str) else tuple(m.string)
        )
        for m in catalog
        if m.id
    }


def test_every_marked_message_has_a_french_text(tmp_path: Path) -> None:
    french = french_catalog()
    missing = sorted(i for i in extracted_ids(tmp_path) if not all(french.get(i, ("",))))
    assert missing == [], "run `make locales-update` and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("msgid", sorted(french_catalog()))
def test_french_texts_keep_the_placeholders(msgid: str) -> None:
    expected = set(PLACEHOLDER.findall(msgid)) - {"n"}
    for text in french_catalog()[msgid]:
        assert set(PLACEHOLDER.findall(text)) - {"n"} <= expected | {"n"}, text
        assert expected <= set(PLACEHOLDER.findall(text)) | {"n"}, (msgid, text)
