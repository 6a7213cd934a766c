"""Folding and ordering of the names people type: site names, aliases and desk labels."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import overload

_SEPARATORS = re.compile(r"[\s\-_'’.]+")
_DIGITS = re.compile(r"(\d+)")
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def fold_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "St-Étienne" -> "st etienne"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare).strip()


def clean_name(text: str) -> str:
    """A name as it should be stored and compared: NFC, without zero-width or other invisible
    format characters (a second "Metz" that looks identical), control characters read as
    spaces when they are whitespace and dropped otherwise. NUL is the caller's to refuse."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        if category == "Cc":
            if char.isspace():
                kept.append(" ")
            continue
        kept.append(char)
    return "".join(kept)


@overload
def clip(text: str, limit: int) -> str: ...
@overload
def clip(text: None, limit: int) -> None: ...
@overload
def clip(text: str | None, limit: int) -> str | None: ...


def clip(text: str | None, limit: int) -> str | None:
    """`text` cut to `limit` characters with an ellipsis when longer (None stays None): what
    comes from outside (display names, reasons) must fit its column on every database."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def natural_key(label: str) -> str:
    """A sortable string that orders "B-9" before "B-10" (numbers padded to 10 digits)."""
    return _DIGITS.sub(lambda m: m.group(1).zfill(10), label.casefold())


def next_labels(existing: Iterable[str], count: int) -> list[str]:
    """`count` new labels continuing the most common "<prefix><number>" pattern of `existing`.

    "B-101", "B-102" continue as "B-103"...; zero padding is kept ("P01" -> "P02"); a site with
    no numbered desk starts at "Poste 1". Labels already taken are skipped.
    """
    taken = {label.casefold() for label in existing}
    patterns: Counter[tuple[str, int]] = Counter()
    highest: dict[tuple[str, int], int] = {}
    for label in existing:
        match = _TRAILING_NUMBER.match(label)
        if not match:
            continue
        prefix, digits = match.groups()
        width = len(digits) if digits.startswith("0") else 0
        key = (prefix, width)
        patterns[key] += 1
        highest[key] = max(highest.get(key, 0), int(digits))
    if patterns:
        # Most frequent pattern; ties go to the one with the highest number (the newest block).
        (prefix, width) = max(patterns, key=lambda k: (patterns[k], highest[k]))
        number = highest[(prefix, width)]
    else:
        prefix, width, number = "Poste ", 0, 0
    labels: list[str] = []
    while len(labels) < count:
        number += 1
        label = f"{prefix}{str(number).zfill(width)}"
        if label.casefold() not in taken:
            labels.append(label)
            taken.add(label.casefold())
    return labels
