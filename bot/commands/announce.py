"""`annonce : <texte>`: a site manager speaks to the rooms that follow their sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.announcing import envelopes, follower_rooms, room_language
from bot.commands.base import CommandSpec, Context, Permission
from bot.commands.permissions import managed_sites
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    text = (cmd.announcement or "").strip()
    if not text:
        raise UserError(
            N_(
                "What should I announce? For example: “announce: the 3rd floor is "
                "closed on Friday”."
            )
        )
    sites = _sites_of(ctx, cmd.site)
    news = ReplyBuilder(room_language(ctx)).say(
        N_("📢 {sites} — {author}: {text}"),
        strong=("sites",),
        sites=", ".join(sites),
        author=ctx.member.display_name or ctx.member.matrix_id,
        text=text,
    )
    followers = await follower_rooms(ctx, sites)
    if followers:
        # The posts and the audit entry, in one transaction.
        await ctx.storage.outbox.announce(
            ctx.member.matrix_id, sites, text, envelopes("announce", followers, news)
        )
    rooms = len(followers)
    if not rooms:
        return ctx.reply().say(
            N_("No room follows {sites} yet: nothing was posted."), sites=", ".join(sites)
        )
    return ctx.reply().plural("✅ Announced in {n} room.", "✅ Announced in {n} rooms.", rooms)


def _sites_of(ctx: Context, named: str | None) -> list[str]:
    """The sites this announcement is for: the one named (the dispatcher checked the sender
    manages it), else all the sender manages (every site for an admin)."""
    return [named] if named is not None else managed_sites(ctx)


SPEC = CommandSpec(
    intent=Intent.ANNOUNCE,
    run=run,
    permission=Permission.SITE_MANAGER,
    site_optional=True,  # no site named: to every site the sender manages
    refusal=N_(
        "Sorry, only a site's managers can announce to its rooms (administrators: {admins})."
    ),
    summary=N_("Managers: announce news to the rooms following your sites"),
    examples=(
        N_("announce: the 3rd floor is closed on Friday"),
        N_("announce: new screens in room B-204"),
    ),
)
