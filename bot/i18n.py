"""Translations (gettext catalogs in `locales/`) and dates rendered with Babel.

Message ids are English in the code; `locales/fr` and `locales/en` hold what users read. French is
the default. Strings are marked with `N_()` where they are defined and translated where rendered.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "fr"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


# How a booking's half-day reads ("journée", "matin", "après-midi"), wherever it is shown.
SLOT_LABELS = {"day": N_("all day"), "am": N_("morning"), "pm": N_("afternoon")}


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalog for `locale` (compiled by `make install`); missing ids fall back to English."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[locale], fallback=True)


class Translator:
    """Translate and format for one locale."""

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        self.locale = locale
        self._catalog = translations(locale)

    def gettext(self, message: str, **params: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def slot(self, slot: str) -> str:
        """'journée' / 'all day', 'matin' / 'morning', 'après-midi' / 'afternoon'."""
        return self.gettext(SLOT_LABELS[slot])

    def day(self, value: date) -> str:
        """'mardi 24 novembre', 'mardi 1er décembre' / 'Tuesday 24 November'."""
        return format_date(value, self._day_pattern(value, "EEEE d MMMM"), locale=self.locale)

    def day_with_year(self, value: date) -> str:
        return format_date(value, self._day_pattern(value, "EEEE d MMMM y"), locale=self.locale)

    def _day_pattern(self, value: date, pattern: str) -> str:
        # French writes the first day of a month as an ordinal: "1er décembre".
        if self.locale == "fr" and value.day == 1:
            return pattern.replace(" d ", " d'er' ")
        return pattern

    def short_day(self, value: date) -> str:
        """'mar. 24 nov.' / 'Tue 24 Nov'."""
        return format_date(value, "EEE d MMM", locale=self.locale)
