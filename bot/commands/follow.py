"""`suis le site de Metz` / `ne suis plus le site de Metz`: a room follows a site's news."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context, Permission
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def follow(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    if not await ctx.storage.follow_site(ctx.message.room_id, site):
        return ctx.reply().say(N_("This room already follows {site}."), site=site)
    return ctx.reply().say(
        N_("🔔 This room now follows {site}: openings, closures and news will be posted here."),
        strong=("site",),
        site=site,
    )


async def unfollow(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    if not await ctx.storage.unfollow_site(ctx.message.room_id, site):
        return ctx.reply().say(N_("This room did not follow {site}."), site=site)
    return ctx.reply().say(
        N_("🔕 This room no longer follows {site}."), strong=("site",), site=site
    )


FOLLOW = CommandSpec(
    intent=Intent.FOLLOW,
    run=follow,
    # Anyone decides for their own direct chat; a group room is its lead's or moderators'.
    permission=Permission.ROOM_LEAD,
    summary=N_("Follow a site's news in this room"),
    examples=(N_("follow the Metz site"), N_("follow Nantes")),
)
UNFOLLOW = CommandSpec(
    intent=Intent.UNFOLLOW,
    run=unfollow,
    permission=Permission.ROOM_LEAD,
    summary=N_("Stop following a site"),
    examples=(N_("stop following the Metz site"), N_("unfollow Nantes")),
    in_help=False,
)
