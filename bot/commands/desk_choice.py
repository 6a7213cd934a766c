"""Booking the desk a person describes: "avec double écran", "au 2e étage", "poste PMR",
"zone calme", "mon bureau habituel" (issue 10).

Features and zones come from the sites file (desk `features` and `zone`), matched folded and
fuzzy. When no free desk satisfies the request, nothing is booked silently: the bot says so
and offers the nearest alternative (another free desk without it) as a question that "oui"
accepts (the stored question of `bot.dialogue`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.commands.base import Context
from bot.commands.outcomes import add_outcome
from bot.commands.undo import record_booked
from bot.errors import UserError
from bot.i18n import N_
from bot.parsing.text import fold_for_matching
from bot.replies import ReplyBuilder
from storage.domain import PresenceKind, Slot, UserId

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from storage.desks import DeskInfo

FUZZY_MIN = 80


def matches(desk: DeskInfo, wanted: str) -> bool:
    """Whether `desk` has the feature or is in the zone `wanted` (canonical folded form)."""
    return _named_in((*desk.features, *((desk.zone,) if desk.zone else ())), wanted)


def _named_in(named: tuple[str, ...], wanted: str) -> bool:
    """Whether one of the features or zones `named` (as the sites file writes them) is the
    feature or zone `wanted`."""
    texts = [fold_for_matching(t) for t in named]
    if wanted.endswith(" etage"):  # "2 etage": a zone naming that floor ("2e étage")
        number = wanted.split()[0]
        floors = {"".join(c for c in t if c.isdigit()) for t in texts if "etage" in t}
        return number in floors or (number == "1" and any("premier" in t for t in texts))
    if wanted == "rez-de-chaussee":
        return any("rez" in t or "rdc" in t for t in texts)
    key = wanted.split()[-1] if wanted in ("zone calme",) else wanted
    return any(key in t or fuzz.partial_ratio(key, t) >= FUZZY_MIN for t in texts)


def _as_named(desks: list[DeskInfo], wanted: str) -> str:
    """A wanted feature as the sites file writes it ("double écran", not the folded "double
    ecran"), when a desk of the site has it; else as folded."""
    for desk in desks:
        if matches(desk, wanted):
            named: tuple[str, ...] = (*desk.features, *((desk.zone,) if desk.zone else ()))
            for text in named:
                if _named_in((text,), wanted):
                    return text
    return wanted


async def site_of(ctx: Context, near: str, day: date) -> str | None:
    """ "réserve près de Karim jeudi": the site where that person has a desk that day (the
    point of the sentence), or None when it cannot be known (no booking, several people)."""
    if near == "@team":
        return None
    from bot.commands.whereis import _resolve

    try:
        person = await _resolve(ctx, near)
    except UserError:
        return None
    presences = await ctx.storage.who(day, members=[person.matrix_id])
    sites = {p.site for p in presences if p.kind is PresenceKind.ONSITE and p.site}
    return sites.pop() if len(sites) == 1 else None


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    days = ctx.require_dates(cmd.dates)
    slot = cmd.slot or Slot.DAY
    desks = await ctx.storage.desks_of(site)
    if cmd.near and not (cmd.usual or cmd.features):
        wanted = list(desks)
    elif cmd.usual:
        usual = await ctx.storage.usual_desk(ctx.member.matrix_id, site)
        if usual is None:
            return ctx.reply().say(
                N_("You have no usual desk at {site} yet: which desk would you like?"),
                strong=("site",),
                site=site,
            )
        wanted = [d for d in desks if d.label == usual]
    else:
        wanted = [d for d in desks if all(matches(d, w) for w in cmd.features)]
    described = (
        ", ".join(_as_named(desks, w) for w in cmd.features)
        if cmd.features
        else ctx.tr.gettext(N_("your usual desk"))
        if cmd.usual
        else ctx.tr.gettext(N_("near {name}"), name=cmd.near)
    )
    builder = ctx.reply()
    if not wanted:
        return builder.say(
            N_("No desk at {site} has “{what}”."), strong=("site",), site=site, what=described
        )
    base_wanted = wanted
    for day in days:
        if cmd.near:
            wanted, neighbour_note = await _near(ctx, cmd.near, site, day, base_wanted)
            if neighbour_note is not None:
                message, params = neighbour_note
                builder.say(message, **params)  # type: ignore[arg-type]  # placeholders only
                if len(days) == 1:
                    free_now = (await ctx.storage.availability(site, day, slot)).free
                    if free_now:
                        return await offer(
                            ctx,
                            builder,
                            replace(cmd, desk=free_now[0], features=(), usual=False, near=None),
                            N_("Desk {desk} is free elsewhere at {site}: shall I book it?"),
                        )
                continue
        if await ctx.storage.list_bookings(ctx.member.matrix_id, day, day):
            outcomes = await ctx.storage.reserve(ctx.member.matrix_id, site, [day], slot)
            add_outcome(builder, ctx, outcomes[0], site, None)  # already booked that day
            continue
        availability = await ctx.storage.availability(site, day, slot)
        free = [d for d in wanted if d.label in availability.free]
        if not free:
            others = [
                label for label in availability.free if label not in {d.label for d in wanted}
            ]
            builder.say(
                N_("No free desk with “{what}” at {site} on {day} ({slot}): I booked nothing."),
                strong=("day",),
                what=described,
                site=site,
                day=ctx.tr.day(day),
                slot=ctx.slot_label(slot),
            )
            if others and len(days) == 1:
                return await offer(
                    ctx, builder, replace(cmd, desk=others[0], features=(), usual=False)
                )
            continue
        outcomes = await ctx.storage.reserve(
            ctx.member.matrix_id,
            site,
            [day],
            slot,
            desk=free[0].label,
            source_event_id=ctx.message.event_id,
        )
        record_booked(ctx, outcomes)
        add_outcome(builder, ctx, outcomes[0], site, free[0].label)
    return builder


async def offer(
    ctx: Context,
    builder: ReplyBuilder,
    cmd: ParsedCommand,
    msgid: str = N_("Desk {desk} is free (without it): shall I book it?"),
) -> ReplyBuilder:
    """End `builder` with the question "desk X is free: shall I book it?", stored (the
    dialogue's own yes/no question: "oui" books `cmd`, "B-205" asks about that desk)."""
    from bot.dialogue import encode, keep_dialogue_question

    builder.say(msgid, strong=("desk",), desk=cmd.desk, site=cmd.site)
    builder.say(N_("(Reply “yes” or “no”.)"))
    keep_dialogue_question(ctx, {"command": encode(cmd)})
    return builder


async def _teammates(ctx: Context) -> list[UserId]:
    """The members of every team room of the sender (a room subscribed to the digest whose
    stored members include them) and of the room the message came from, without the sender:
    "près de mon équipe" said in a direct chat means the team, not the chat."""
    me = ctx.member.matrix_id
    here = ctx.message.room_id
    rooms = [here] + [t.room_id for t in await ctx.storage.list_teams() if t.room_id != here]
    ids: list[UserId] = []
    for room in rooms:
        members = [m.matrix_id for m in await ctx.storage.room_members(room)]
        if room == here or me in members:
            ids += [m for m in members if m != me and m not in ids]
    return ids


async def _near(
    ctx: Context, near: str, site: str, day: date, desks: list[DeskInfo]
) -> tuple[list[DeskInfo], tuple[str, dict[str, object]] | None]:
    """The desks in the zone where `near` (a person, or "@team": the team's members) sits at
    `site` on `day`, with a note when that cannot be known."""
    if near == "@team":
        ids = await _teammates(ctx)
        label = ctx.tr.gettext(N_("your team"))
    else:
        from bot.commands.whereis import _resolve

        person = await _resolve(ctx, near)
        ids, label = [person.matrix_id], person.display_name or person.matrix_id
    presences = await ctx.storage.who(day, site=site, members=ids) if ids else []
    seats = [p.desk for p in presences if p.kind is PresenceKind.ONSITE and p.desk]
    if not seats:
        nobody = (
            N_("Nobody in your team has a desk at {site} on {day}: I booked nothing.")
            if near == "@team"
            else N_("{name} has no desk at {site} on {day}: I booked nothing.")
        )
        return [], (nobody, {"name": label, "site": site, "day": ctx.tr.day(day)})
    zones = [d.zone for d in desks if d.label in seats]
    zone = max(set(zones), key=zones.count) if zones else None
    if zone is not None:
        return [d for d in desks if d.zone == zone and d.label not in seats], None
    labels = [d.label for d in desks]  # no zones: the desks next to theirs, in label order
    places = sorted(labels.index(s) for s in seats if s in labels)
    around = sorted(range(len(labels)), key=lambda i: min(abs(i - p) for p in places))
    return [desks[i] for i in around if labels[i] not in seats][:4], None
