"""`aide`: what the bot can do, built from the command registry with two examples each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.commands.permissions import visible_commands
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    from bot.commands import COMMANDS  # the registry imports this module

    builder = ctx.reply().say(N_("👋 I book desks. Write to me as you would to a colleague:"))
    for spec in await visible_commands(ctx, COMMANDS):
        first, second = (ctx.tr.gettext(e) for e in spec.examples)
        builder.item(
            N_("{summary}: “{first}”, “{second}”"),
            strong=("summary",),
            summary=ctx.tr.gettext(spec.summary),
            first=first,
            second=second,
        )
    return builder.say(
        N_(
            "Dates can be “tomorrow”, “Tuesday”, “from Monday to Wednesday”, “every Tuesday”, "
            "“3 December”; add “morning” or “afternoon” for a half-day."
        )
    )


SPEC = CommandSpec(
    intent=Intent.HELP,
    run=run,
    summary=N_("This help"),
    examples=(N_("help"), N_("what can you do?")),
    in_help=False,
)
