"""`nomme @x:serveur responsable de Metz`: an administrator appoints a site manager."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.announcing import envelope_to, room_language
from bot.commands.base import CommandSpec, Context, Permission
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    who = cmd.appointee
    if not who or not who.startswith("@") or ":" not in who:
        raise UserError(
            N_(
                "Whom should I appoint? Give their Matrix id, e.g. "
                "“appoint @jeanne.martin:agent.example.gouv.fr manager of Metz”."
            )
        )
    welcome = ReplyBuilder(room_language(ctx)).say(
        N_(
            "🎖️ You are now a manager of {site}: you can open places, close the site for a "
            "day and announce news. Say “help” to see how."
        ),
        strong=("site",),
        site=site,
    )
    # The appointment, the message to the new manager and the audit entry: one transaction.
    await ctx.storage.outbox.appoint(
        ctx.member.matrix_id, site, who, [envelope_to("appoint", who, welcome)]
    )
    return ctx.reply().say(
        N_("✅ {who} is now a manager of {site}."), strong=("site",), who=who, site=site
    )


SPEC = CommandSpec(
    intent=Intent.APPOINT,
    run=run,
    permission=Permission.ADMIN,
    summary=N_("Admins: appoint a site manager"),
    examples=(
        N_("appoint @jeanne.martin:example.org manager of Metz"),
        N_("appoint @paul.durand:example.org manager of Nantes"),
    ),
)
