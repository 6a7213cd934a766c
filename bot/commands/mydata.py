"""`mes données` / `supprime mes données`: an agent's personal data (RGPD).

"mes données" sends everything the bot stores about the sender as a JSON file, in their direct
room only (never in a group room). "supprime mes données" asks first, then cancels their future
bookings and erases everything that identifies them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.commands.base import CommandSpec, Context
from bot.errors import UserError
from bot.i18n import N_
from bot.messages import Attachment
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

KIND = "erase_data"


def _direct_only(ctx: Context) -> None:
    if not ctx.message.is_direct:
        raise UserError(N_("Your personal data stays between us: ask me in a direct message."))


async def export(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    _direct_only(ctx)
    data = await ctx.storage.personal.export_member(ctx.member.matrix_id)
    document = {
        "service": "Bureau Volant",
        "exported_at": ctx.now.isoformat(),
        **(data or {}),
    }
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    name = f"bureau-volant-{ctx.today.isoformat()}.json"
    file_reply = ctx.reply().say(N_("📎 Your data: {name}"), name=name).build()
    ctx.extra_replies.append(
        dataclasses.replace(file_reply, attachments=(Attachment(name, "application/json", body),))
    )
    return ctx.reply().say(
        N_(
            "Here is everything I keep about you, as a JSON file: your profile, your bookings, "
            "your statuses and your rooms."
        )
    )


async def erase(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    _direct_only(ctx)
    builder = ctx.reply().say(
        N_(
            "⚠️ This cancels your future bookings and erases everything I keep about you "
            "(profile, bookings, statuses, rooms). It cannot be undone."
        )
    )
    return await ctx.ask(KIND, {"member": ctx.member.matrix_id}, builder)


async def confirm_erase(ctx: Context, payload: Mapping[str, Any]) -> ReplyBuilder:
    removed = await ctx.storage.personal.erase_member(payload["member"])
    cancelled = (removed or {}).get("future_bookings_cancelled", 0)
    return ctx.reply().plural(
        "🗑️ Done: your data is erased ({n} future booking cancelled).",
        "🗑️ Done: your data is erased ({n} future bookings cancelled).",
        cancelled,
    )


EXPORT_SPEC = CommandSpec(
    intent=Intent.MY_DATA,
    run=export,
    summary=N_("Get all your data as a file"),
    examples=(N_("my data"), N_("send me my data")),
    in_help=False,
)
ERASE_SPEC = CommandSpec(
    intent=Intent.ERASE_DATA,
    run=erase,
    confirm=confirm_erase,
    summary=N_("Erase all your data"),
    examples=(N_("delete my data"), N_("erase my data")),
    in_help=False,
)
