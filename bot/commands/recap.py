"""`récap quotidien ici à 8h30`, `arrête le récap`, `récap`, `récap de demain`: the team digest.

A team is a room: subscribing it (a room moderator, the room's lead or an admin) makes its
joined members the team and the subscriber its lead. Previews are for anyone in the room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context, Permission
from bot.digest import team_digest
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from bot.rooms import refresh_room_members
from storage.domain import DigestAction, Intent, RoomId

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

DEFAULT_TIME = "08:30"


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    if ctx.message.is_direct:
        raise UserError(N_("The digest is for a team room: say it in the room of your team."))
    if cmd.action is DigestAction.SUBSCRIBE:
        return await _subscribe(ctx, cmd.time or DEFAULT_TIME)
    if cmd.action is DigestAction.UNSUBSCRIBE:
        if not await ctx.storage.unsubscribe_digest(ctx.message.room_id):
            return ctx.reply().say(N_("This room had no daily digest."))
        return ctx.reply().say(N_("🔕 Daily digest stopped in this room."))
    return await _preview(ctx, cmd)


async def _subscribe(ctx: Context, time: str) -> ReplyBuilder:
    room = ctx.message.room_id
    await ctx.storage.subscribe_digest(
        room,
        time,
        lead=ctx.member.matrix_id,
        timezone=ctx.settings.timezone,
        locale=ctx.tr.locale,
    )
    members = await refresh_members(ctx, room)
    return ctx.reply().plural(
        "✅ Daily digest here at {time} on working days, for a team of {n} person. "
        "Say “digest” to see today's now.",
        "✅ Daily digest here at {time} on working days, for a team of {n} people. "
        "Say “digest” to see today's now.",
        members,
        strong=("time",),
        time=time,
    )


async def _preview(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    room = ctx.message.room_id
    if await ctx.storage.get_team(room) is None:
        raise UserError(
            N_(
                "This room has no daily digest yet: a team lead can say "
                "“daily digest here at 8:30”."
            )
        )
    await refresh_members(ctx, room)
    builder = ctx.reply()
    for team_day in await ctx.storage.team_days(cmd.dates[0] if cmd.dates else ctx.today, [room]):
        reply = team_digest(team_day, ctx.tr)
        builder.rich(reply.text, reply.html)
    return builder


async def refresh_members(ctx: Context, room: RoomId) -> int:
    """Store the room's current members (from the transport) as the team; returns their count."""
    count = await refresh_room_members(ctx.storage, ctx.directory, room)
    if count is None:  # the transport does not know the room: the stored team stands
        return len(await ctx.storage.room_members(room))
    return count


SPEC = CommandSpec(
    intent=Intent.DIGEST,
    run=run,
    summary=N_("Team digest in this room (leads: subscribe it)"),
    examples=(N_("daily digest here at 8:30"), N_("digest for tomorrow")),
    # Previews are for anyone in the room; the subscription is its moderators' and its lead's.
    action_permissions={
        DigestAction.SUBSCRIBE: Permission.ROOM_LEAD,
        DigestAction.UNSUBSCRIBE: Permission.ROOM_LEAD,
    },
)
