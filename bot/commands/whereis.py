"""`où est Marc jeudi ?`, `Marc est là demain ?`, `where is Tom on Friday?`: one person's day.

The name resolves against members' display names and Matrix localparts (folded, fuzzy); when
several people match, the bot asks which (a choice `bot.dialogue` remembers). Privacy: outside
the person's team rooms (a room whose stored members include them), leave and travel are shown
only as "absent"; the person themself sees everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.commands.base import Context
from bot.errors import UserError
from bot.i18n import N_
from bot.parsing.text import fold_for_matching
from bot.replies import ReplyBuilder
from bot.rooms import refresh_room_members
from storage.domain import PresenceKind

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from storage.types import Presence, TeamMember

FUZZY_MIN = 85
MAX_CANDIDATES = 5
MAX_DAYS = 5


class WhichPerson(UserError):
    """Several people match the name: the dialogue remembers the choices."""

    missing = "person"

    def __init__(self, choices: Sequence[TeamMember], name: str) -> None:
        listing = ", ".join(_label(m) for m in choices)
        super().__init__(
            N_("Several people are called “{name}”: {people}. Which one?"),
            name=name,
            people=listing,
        )
        self.choices = [m.matrix_id for m in choices]


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    assert cmd.person is not None
    person = await _resolve(ctx, cmd.person)
    days = list(cmd.dates) or [ctx.today]
    private = person.matrix_id != ctx.member.matrix_id and not await _same_team(ctx, person)
    builder = ctx.reply()
    for day in days[:MAX_DAYS]:
        presences = await ctx.storage.who(day, members=[person.matrix_id])
        _say_day(builder, ctx, person, day, presences, private)
    return builder


async def _resolve(ctx: Context, name: str) -> TeamMember:
    people = await ctx.storage.list_people()
    if name.startswith("@"):
        found = [p for p in people if p.matrix_id.casefold() == name.casefold()]
        if found:
            return found[0]
        raise UserError(N_("I do not know anyone called “{name}”."), name=name)
    wanted = fold_for_matching(name).strip()
    exact = [p for p in people if wanted in _names(p)]
    if not exact:
        scored = sorted(
            ((max(fuzz.ratio(wanted, n) for n in _names(p)), p) for p in people),
            key=lambda item: -item[0],
        )
        exact = [p for score, p in scored if score >= FUZZY_MIN]
    if not exact:
        raise UserError(N_("I do not know anyone called “{name}”."), name=name)
    if len(exact) > 1:
        raise WhichPerson(exact[:MAX_CANDIDATES], name)
    return exact[0]


def _names(person: TeamMember) -> set[str]:
    """The folded ways to name someone: full display name, each of its words, the localpart
    and its parts ("@marc.dupont:x" → "marc.dupont", "marc", "dupont")."""
    names: set[str] = set()
    local = fold_for_matching(person.matrix_id.lstrip("@").split(":", 1)[0])
    names.add(local)
    names.update(part for part in local.replace("_", ".").replace("-", ".").split(".") if part)
    if person.display_name:
        display = fold_for_matching(person.display_name)
        names.add(display)
        names.update(display.split())
    return names


async def _same_team(ctx: Context, person: TeamMember) -> bool:
    room = ctx.message.room_id
    if await ctx.storage.get_team(room) is not None:  # who is in the team room now
        await refresh_room_members(ctx.storage, ctx.directory, room)
    members = await ctx.storage.room_members(room)
    ids = {m.matrix_id for m in members}
    return person.matrix_id in ids and ctx.member.matrix_id in ids


def _say_day(
    builder: ReplyBuilder,
    ctx: Context,
    person: TeamMember,
    day: date,
    presences: Sequence[Presence],
    private: bool,
) -> None:
    name = _label(person)
    when = ctx.tr.day(day)
    if not presences:
        builder.say(N_("{name} has said nothing for {day}."), strong=("day",), name=name, day=when)
        return
    for p in presences:
        slot = ctx.slot_label(p.slot)
        if p.kind is PresenceKind.ONSITE:
            builder.say(
                N_("📍 {name}: {site}, desk {desk}, on {day} ({slot})."),
                strong=("site",),
                name=name,
                site=p.site,
                desk=p.desk,
                day=when,
                slot=slot,
            )
        elif p.kind is PresenceKind.REMOTE:
            builder.say(N_("🏠 {name}: remote on {day} ({slot})."), name=name, day=when, slot=slot)
        elif private:
            builder.say(N_("{name}: absent on {day} ({slot})."), name=name, day=when, slot=slot)
        elif p.kind is PresenceKind.LEAVE:
            builder.say(
                N_("🌴 {name}: on leave on {day} ({slot})."), name=name, day=when, slot=slot
            )
        else:
            builder.say(
                N_("🚆 {name}: travelling on {day} ({slot})."), name=name, day=when, slot=slot
            )


def _label(person: TeamMember) -> str:
    return (
        f"{person.display_name} ({person.matrix_id})"
        if person.display_name
        else (person.matrix_id)
    )
