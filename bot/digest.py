"""The team presence digest: who is on site (by site, desk, half-day), remote, away, silent.

Pure: it formats what the core returned for one team and one day, in one language. Names are
display names, never mentions: nobody is pinged at 8:30.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.i18n import N_, Translator
from bot.messages import Reply
from storage.domain import PresenceKind, Slot, UserId

if TYPE_CHECKING:
    from storage.types import Presence, TeamDay

STATUS_GROUPS = (
    (PresenceKind.REMOTE, N_("🏠 Remote")),
    (PresenceKind.LEAVE, N_("🌴 On leave")),
    (PresenceKind.TRAVEL, N_("🚆 Travelling")),
)
SILENT = N_("❔ No news")


@dataclass(frozen=True)
class DigestInput:
    """One team's day: its members (Matrix id, display name) and their presences that day."""

    day: date
    members: Sequence[tuple[UserId, str | None]]
    presences: Sequence[Presence]
    late_after: str | None = None  # "08:30" when posted late because the bot was down


def build_digest(data: DigestInput, tr: Translator) -> Reply:
    """The digest as plain text (short) and HTML (a small table)."""
    names = {mxid: name or _localpart(mxid) for mxid, name in data.members}
    team = set(names)
    presences = [p for p in data.presences if p.member in team]
    title = tr.gettext(N_("📋 Presence on {day}")).format(day=tr.day(data.day))
    late = (
        tr.gettext(N_("(sent late: I was unavailable at {time})")).format(time=data.late_after)
        if data.late_after
        else None
    )
    if not presences:
        line = tr.ngettext(
            "{title}: nobody has said anything yet ({n} member).",
            "{title}: nobody has said anything yet ({n} members).",
            len(team),
            title=title,
        )
        text = f"{line} {late}" if late else line
        return Reply(text=text, html=html.escape(text, quote=False))

    on_site = _on_site_by_site(presences, names)
    by_status = {
        kind: sorted({names[p.member] for p in presences if p.kind is kind})
        for kind, _ in STATUS_GROUPS
    }
    said = {p.member for p in presences}
    silent = sorted(names[m] for m in team - said)
    counts = _counts(tr, sum(len(v) for v in on_site.values()), by_status, len(silent))
    text_lines = [title + (f" {late}" if late else ""), counts]
    for site, rows in on_site.items():
        people = ", ".join(f"{name} ({_where(tr, desk, slot)})" for name, desk, slot in rows)
        text_lines.append(tr.gettext(N_("🏢 {site}: {people}")).format(site=site, people=people))
    for kind, label in STATUS_GROUPS:
        if by_status[kind]:
            text_lines.append(_labelled(tr, label, by_status[kind]))
    if silent:
        text_lines.append(_labelled(tr, SILENT, silent))
    return Reply(
        text="\n".join(text_lines), html=_html(tr, title, late, counts, on_site, by_status, silent)
    )


def team_digest(team_day: TeamDay, tr: Translator, late_after: str | None = None) -> Reply:
    """The digest of one team's day as stored by the core."""
    members = [(m.matrix_id, m.display_name) for m in team_day.members]
    data = DigestInput(team_day.day, members, team_day.presences, late_after)
    return build_digest(data, tr)


def _on_site_by_site(
    presences: Sequence[Presence], names: dict[UserId, str]
) -> dict[str, list[tuple[str, str, Slot]]]:
    grouped: dict[str, list[tuple[str, str, Slot]]] = defaultdict(list)
    for p in presences:
        if p.kind is PresenceKind.ONSITE:
            grouped[p.site or "?"].append((names[p.member], p.desk or "?", p.slot))
    return {site: sorted(grouped[site]) for site in sorted(grouped)}


def _counts(
    tr: Translator, on_site: int, by_status: dict[PresenceKind, list[str]], silent: int
) -> str:
    return tr.gettext(
        N_(
            "On site {onsite} · remote {remote} · on leave {leave} · travelling {travel} · "
            "no news {silent}"
        )
    ).format(
        onsite=on_site,
        remote=len(by_status[PresenceKind.REMOTE]),
        leave=len(by_status[PresenceKind.LEAVE]),
        travel=len(by_status[PresenceKind.TRAVEL]),
        silent=silent,
    )


def _where(tr: Translator, desk: str, slot: Slot) -> str:
    return desk if slot is Slot.DAY else f"{desk}, {tr.slot(slot)}"


def _labelled(tr: Translator, label: str, names: Sequence[str]) -> str:
    return tr.gettext(N_("{label}: {names}")).format(
        label=tr.gettext(label), names=", ".join(names)
    )


def _html(
    tr: Translator,
    title: str,
    late: str | None,
    counts: str,
    on_site: dict[str, list[tuple[str, str, Slot]]],
    by_status: dict[PresenceKind, list[str]],
    silent: Sequence[str],
) -> str:
    e = html.escape
    parts = [f"<b>{e(title)}</b>"]
    if late:
        parts.append(f" <i>{e(late)}</i>")
    parts.append(f"<br>{e(counts)}")
    if on_site:
        headers = (N_("Site"), N_("Person"), N_("Desk"), N_("When"))
        head = "".join(f"<th>{e(tr.gettext(h))}</th>" for h in headers)
        rows = [
            f"<tr><td>{e(site)}</td><td>{e(name)}</td><td>{e(desk)}</td>"
            f"<td>{e(tr.slot(slot))}</td></tr>"
            for site, people in on_site.items()
            for name, desk, slot in people
        ]
        parts.append(f"<table><tr>{head}</tr>{''.join(rows)}</table>")
    lines = [
        _labelled(tr, label, by_status[kind]) for kind, label in STATUS_GROUPS if by_status[kind]
    ]
    if silent:
        lines.append(_labelled(tr, SILENT, silent))
    if lines:
        parts.append("<br>".join(e(line) for line in lines))
    return "".join(parts)


def _localpart(mxid: str) -> str:
    return mxid[1:].split(":", 1)[0]
