"""The parser's fast paths skip work only when the slow path would have done nothing."""

from __future__ import annotations

import inspect
import re
from datetime import datetime

from bot.parsing import KnownSite, date_atoms, lexicon, parse
from bot.parsing.date_atoms import SCAN_WORD_TABLES, Scanner
from storage.domain import Intent

NOW = datetime(2026, 11, 22, 10, 0)


def test_scan_word_tables_name_every_table_the_scanner_reads() -> None:
    source = inspect.getsource(Scanner.scan_at)
    words_part = source[source.index("if token.kind != _WORD") :]
    read = set(re.findall(r"norm in lexicon\.([A-Z_]+)", words_part))
    listed = {
        name for name in dir(lexicon) if any(getattr(lexicon, name) is t for t in SCAN_WORD_TABLES)
    }
    assert read and read <= listed, read - listed
    assert date_atoms._DATE_WORDS >= set(lexicon.WEEKDAYS) | set(lexicon.MONTHS)


def test_the_site_index_follows_the_sites_given() -> None:
    metz = [KnownSite("Metz")]
    assert parse("réserve à Metz demain", NOW, metz).site == "Metz"
    # Same list object, changed in place: the new site is known at once.
    metz.append(KnownSite("Nantes"))
    assert parse("réserve à Nantes demain", NOW, metz).site == "Nantes"
    assert parse("réserve à Nantes demain", NOW, [KnownSite("Lille")]).site is None
    assert parse("réserve à Nantes demain", NOW, ["Nantes"]).site == "Nantes"
    aliased = [KnownSite("Paris Balard", ("Balard",))]
    assert parse("réserve à Balard demain", NOW, aliased).site == "Paris Balard"


def test_the_words_of_one_sentence_are_not_kept_for_the_next() -> None:
    sites = [KnownSite("Metz")]
    waiting = "dis-moi quand un bureau se libère à Metz demain"
    first = parse(waiting, NOW, sites)
    assert first.intent is Intent.WAITLIST_JOIN and first.error is None
    assert parse("réserve un bureau à Metz demain", NOW, sites).error is None
    assert parse("réserve une salle de réunion à Metz demain", NOW, sites).error
    assert parse("réserve un bureau à Metz demain", NOW, sites).error is None
    assert parse(waiting, NOW, sites) == first
