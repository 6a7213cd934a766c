"""Reading and validating a sites file (YAML) into plain specs, with the line of every mistake.

The whole file is checked before anything is written: `parse_sites` either returns every site or
raises `SitesFileError(line, reason)` for the first problem found, so an import never half-happens.

    sites:
      - name: Metz
        aliases: ["Metz Lizé"]
        department: "57"
        timezone: Europe/Paris          # optional, the default
        open_weekdays: [lundi, mardi, mercredi, jeudi, vendredi]   # optional, the default
        hours: {am: "09:00-12:30", pm: "13:30-18:00"}   # optional, the default (calendar feeds)
        check_in: {morning: "10:00", afternoon: "14:30", remind: false}   # optional: no check-in
        managers: ["@chef.metz:agent.interieur.tchap.gouv.fr"]
        desks: ["B-101", "B-102", {label: "B-204", zone: "2e étage", features: ["double écran"]}]
        # a desk may have an owner (issue 12): {label: B-12, owner: "@jean.dupont:agent.x.fr"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from storage.domain import UserId
from storage.errors import SitesFileError
from storage.names import clean_name, fold_name
from storage.types import CheckInRule

MAX_NAME = 100
MAX_LABEL = 64
# Bounds of a sites file: a whole administration fits (hundreds of sites, thousands of desks)
# while a pasted dump is refused at once instead of keeping the import busy for a minute.
MAX_FILE_BYTES = 1_000_000
MAX_DESKS_PER_SITE = 5_000
SITE_KEYS = (
    "name", "aliases", "department", "timezone", "open_weekdays", "managers", "desks", "hours",
    "check_in",
)  # fmt: skip
CHECK_IN_KEYS = ("morning", "afternoon", "remind")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
DESK_KEYS = ("label", "zone", "features", "owner")
_DEPARTMENT = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")
MATRIX_ID = re.compile(r"^@[^:\s]+:[^\s]+$")
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("lundi", "lun", "monday", "mon"),
            ("mardi", "mar", "tuesday", "tue"),
            ("mercredi", "mer", "wednesday", "wed"),
            ("jeudi", "jeu", "thursday", "thu"),
            ("vendredi", "ven", "friday", "fri"),
            ("samedi", "sam", "saturday", "sat"),
            ("dimanche", "dim", "sunday", "sun"),
        ]
    )
    for name in names
}


@dataclass(frozen=True)
class DeskSpec:
    label: str
    zone: str | None
    features: tuple[str, ...]
    line: int
    owner: UserId | None = None  # the Matrix id of the member whose desk it is


@dataclass(frozen=True)
class SiteSpec:
    name: str
    aliases: tuple[str, ...]
    department: str | None
    timezone: str
    open_weekdays: frozenset[int]
    managers: tuple[UserId, ...]
    desks: tuple[DeskSpec, ...]
    line: int
    alias_lines: tuple[int, ...]
    hours: str | None = None  # "09:00-12:30,13:30-18:00" (None: the default hours)
    check_in: CheckInRule | None = None  # None: no check-in, bookings are never released


def read_source(path_or_text: str | Path) -> str:
    """The YAML text: a `Path` (or a one-line string naming a file) is read, anything else is
    taken as the text itself."""
    if isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and Path(path_or_text).is_file()
    ):
        try:
            return Path(path_or_text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SitesFileError(None, f"cannot read {path_or_text}: {error}") from error
    return path_or_text


def parse_sites(text: str) -> list[SiteSpec]:
    """Validate a whole sites file; raise `SitesFileError` on the first problem."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise SitesFileError(
            None,
            f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a sites file may have:"
            " split it into several files",
        )
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise SitesFileError(line, f"not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise SitesFileError(None, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if root is None:
        raise SitesFileError(1, "the file is empty; it must start with `sites:`")
    reader = _Reader(loader)
    top = reader.mapping(root, "the file", ("sites",))
    if "sites" not in top:
        raise SitesFileError(_line(root), "`sites:` is required at the top of the file")
    entries = reader.sequence(top["sites"], "sites")
    if not entries:
        raise SitesFileError(_line(top["sites"]), "`sites` lists no site")
    specs = [_site(reader, node) for node in entries]
    _check_names_unique(specs)
    return specs


def _site(reader: _Reader, node: Node) -> SiteSpec:
    fields = reader.mapping(node, "a site", SITE_KEYS)
    if "name" not in fields:
        raise SitesFileError(_line(node), "name is required")
    name = reader.text(fields["name"], "name", MAX_NAME)
    where = f"site {name!r}"
    if "desks" not in fields:
        raise SitesFileError(_line(node), f"desks is required ({where})")
    alias_nodes = reader.sequence(fields["aliases"], "aliases") if "aliases" in fields else []
    aliases = tuple(reader.text(a, "an alias", MAX_NAME) for a in alias_nodes)
    department = None
    if "department" in fields and not reader.is_null(fields["department"]):
        department = _department(reader, fields["department"])
    timezone = "Europe/Paris"
    if "timezone" in fields:
        timezone = reader.text(fields["timezone"], "timezone", 64)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SitesFileError(
                _line(fields["timezone"]), f"unknown time zone {timezone!r}"
            ) from None
    weekdays = frozenset(range(5))
    if "open_weekdays" in fields:
        weekdays = _weekdays(reader, fields["open_weekdays"])
    managers: list[UserId] = []
    for manager in reader.sequence(fields["managers"], "managers") if "managers" in fields else []:
        value = reader.text(manager, "a manager", 255)
        if not MATRIX_ID.match(value):
            raise SitesFileError(
                _line(manager), f"manager {value!r} is not a Matrix id like @jean:example.org"
            )
        managers.append(UserId(value))
    desk_nodes = reader.sequence(fields["desks"], "desks")
    if not desk_nodes:
        raise SitesFileError(_line(fields["desks"]), f"desks lists no desk ({where})")
    if len(desk_nodes) > MAX_DESKS_PER_SITE:
        raise SitesFileError(
            _line(fields["desks"]),
            f"{where} lists {len(desk_nodes):,} desks, more than the {MAX_DESKS_PER_SITE:,}"
            " a site may have",
        )
    desks: list[DeskSpec] = []
    seen: dict[str, int] = {}
    for desk_node in desk_nodes:
        desk = _desk(reader, desk_node)
        key = desk.label.casefold()
        if key in seen:
            first = seen[key]
            raise SitesFileError(
                desk.line, f"desk {desk.label!r} is listed twice in {where} (first line {first})"
            )
        seen[key] = desk.line
        desks.append(desk)
    return SiteSpec(
        name=name,
        aliases=tuple(dict.fromkeys(aliases)),
        department=department,
        timezone=timezone,
        open_weekdays=weekdays,
        managers=tuple(dict.fromkeys(managers)),
        desks=tuple(desks),
        line=_line(node),
        alias_lines=tuple(_line(a) for a in alias_nodes),
        hours=_hours(reader, fields["hours"]) if "hours" in fields else None,
        check_in=_check_in(reader, fields["check_in"]) if "check_in" in fields else None,
    )


def _desk(reader: _Reader, node: Node) -> DeskSpec:
    if isinstance(node, ScalarNode):
        label = reader.text(node, "a desk label", MAX_LABEL, numbers=True)
        return DeskSpec(label, None, (), _line(node))
    fields = reader.mapping(node, "a desk", DESK_KEYS)
    if "label" not in fields:
        raise SitesFileError(_line(node), "label is required for a desk written as a mapping")
    label = reader.text(fields["label"], "label", MAX_LABEL, numbers=True)
    zone = None
    if "zone" in fields and not reader.is_null(fields["zone"]):
        zone = reader.text(fields["zone"], "zone", 100)
    features: tuple[str, ...] = ()
    if "features" in fields:
        nodes = reader.sequence(fields["features"], "features")
        features = tuple(reader.text(f, "a feature", 100) for f in nodes)
    owner = None
    if "owner" in fields and not reader.is_null(fields["owner"]):
        owner = reader.text(fields["owner"], "owner", 255)
        if not MATRIX_ID.match(owner):
            raise SitesFileError(
                _line(fields["owner"]),
                f"owner {owner!r} of desk {label!r} is not a Matrix id like @jean:example.org",
            )
    return DeskSpec(label, zone, features, _line(node), UserId(owner) if owner else None)


def _department(reader: _Reader, node: Node) -> str:
    value = reader.scalar(node)
    # A number is read as written ("057" is not the octal 47): `department: 57` is "57".
    if isinstance(value, int) and not isinstance(value, bool) and isinstance(node, ScalarNode):
        value = node.value.zfill(2)
    code = value
    if not isinstance(code, str) or not _DEPARTMENT.match(code.strip().upper()):
        raise SitesFileError(
            _line(node), f'department {value!r} is not a French département code like "57"'
        )
    return code.strip().upper()


def _weekdays(reader: _Reader, node: Node) -> frozenset[int]:
    days: set[int] = set()
    for item in reader.sequence(node, "open_weekdays"):
        value = reader.scalar(item)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            days.add(value)
        elif isinstance(value, str) and fold_name(value) in _WEEKDAYS:
            days.add(_WEEKDAYS[fold_name(value)])
        else:
            raise SitesFileError(
                _line(item), f"{value!r} is not a weekday (lundi... or 0 = Monday ... 6)"
            )
    if not days:
        raise SitesFileError(_line(node), "open_weekdays lists no day")
    return frozenset(days)


def _hours(reader: _Reader, node: Node) -> str:
    """ "09:00-12:30,13:30-18:00" from `{am: "09:00-12:30", pm: "13:30-18:00"}`."""
    fields = reader.mapping(node, "hours", ("am", "pm"))
    spans = []
    for half, default in (("am", "09:00-12:30"), ("pm", "13:30-18:00")):
        value = reader.text(fields[half], half, 11).replace(" ", "") if half in fields else default
        if not _HOURS.match(value) or value[:5] >= value[6:]:
            raise SitesFileError(
                _line(fields[half]), f"hours {half}: {value!r} is not like 09:00-12:30"
            )
        spans.append(value)
    return ",".join(spans)


def _check_in(reader: _Reader, node: Node) -> CheckInRule | None:
    """`{morning: "10:00", afternoon: "14:30", remind: true}`; null or {} means no check-in."""
    if reader.is_null(node):
        return None
    fields = reader.mapping(node, "check_in", CHECK_IN_KEYS)
    deadlines: list[time | None] = []
    for half in ("morning", "afternoon"):
        if half not in fields or reader.is_null(fields[half]):
            deadlines.append(None)
            continue
        value = str(reader.scalar(fields[half])).strip()
        if not _CLOCK.match(value):
            raise SitesFileError(
                _line(fields[half]), f"check_in {half}: {value!r} is not a time like 10:00"
            )
        hour, minute = value.split(":")
        deadlines.append(time(int(hour), int(minute)))
    remind = False
    if "remind" in fields:
        value = reader.scalar(fields["remind"])
        if not isinstance(value, bool):
            raise SitesFileError(_line(fields["remind"]), "check_in remind: write true or false")
        remind = value
    if deadlines == [None, None]:
        return None
    return CheckInRule(morning=deadlines[0], afternoon=deadlines[1], remind=remind)


def _check_names_unique(specs: list[SiteSpec]) -> None:
    owner: dict[str, tuple[str, int]] = {}
    for spec in specs:
        key = fold_name(spec.name)
        if key in owner:
            line = owner[key][1]
            raise SitesFileError(spec.line, f"site {spec.name!r} is already defined line {line}")
        owner[key] = (spec.name, spec.line)
    for spec in specs:
        for alias, line in zip(spec.aliases, spec.alias_lines):
            key = fold_name(alias)
            if key in owner and owner[key][0] != spec.name:
                raise SitesFileError(
                    line, f"alias {alias!r} of {spec.name!r} already names {owner[key][0]!r}"
                )
            owner[key] = (spec.name, line)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Typed access to YAML nodes, raising `SitesFileError` with the node's line."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self._loader = loader

    def scalar(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            raise SitesFileError(_line(node), "expected a single value here")
        return self._loader.construct_object(node)

    def is_null(self, node: Node) -> bool:
        return isinstance(node, ScalarNode) and self.scalar(node) is None

    def text(self, node: Node, what: str, max_length: int, *, numbers: bool = False) -> str:
        """A text value, normalised (`clean_name`). Numbers are refused (`name: 123` is a
        mistake to point out), except where `numbers` allows a plain number such as a desk
        numbered 101, which is then taken as written."""
        value = self.scalar(node)
        plain_number = (
            numbers
            and isinstance(value, int)
            and not isinstance(value, bool)
            and isinstance(node, ScalarNode)
            and node.value.isdigit()
        )
        if plain_number:
            value = node.value
        if not isinstance(value, str):
            raise SitesFileError(
                _line(node), f"{what} must be text (write it in quotes), got {value!r}"
            )
        if "\x00" in value:
            raise SitesFileError(_line(node), f"{what} contains a NUL character")
        value = clean_name(value).strip()
        if not value:
            raise SitesFileError(_line(node), f"{what} is empty")
        if len(value) > max_length:
            raise SitesFileError(_line(node), f"{what} is longer than {max_length} characters")
        return value

    def sequence(self, node: Node, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise SitesFileError(_line(node), f"{what} must be a list")
        return list(node.value)

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise SitesFileError(_line(node), f"{what} must be a mapping of keys to values")
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if key not in allowed:
                raise SitesFileError(
                    _line(key_node),
                    f"unknown key {key!r} in {what} (expected one of: {', '.join(allowed)})",
                )
            if key in fields:
                raise SitesFileError(_line(key_node), f"{key} is given twice")
            fields[key] = value_node
        return fields
