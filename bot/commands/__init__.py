"""The command registry: an explicit list, nothing registers itself at import time."""

from __future__ import annotations

from collections.abc import Iterator

from bot.commands import (
    announce,
    appoint,
    cancel,
    close_site,
    follow,
    free,
    help,
    mine,
    mydata,
    open_desks,
    preferences,
    recap,
    reserve,
    status,
    who,
)
from bot.commands.base import CommandSpec, Context, Permission

COMMANDS: tuple[CommandSpec, ...] = (
    reserve.SPEC,
    cancel.SPEC,
    mine.SPEC,
    who.SPEC,
    free.SPEC,
    status.SPEC,
    preferences.SET_SITE,
    preferences.SET_LOCALE,
    recap.SPEC,
    follow.FOLLOW,
    follow.UNFOLLOW,
    open_desks.SPEC,
    close_site.SPEC,
    announce.SPEC,
    appoint.SPEC,
    help.SPEC,
    mydata.EXPORT_SPEC,
    mydata.ERASE_SPEC,
)
BY_INTENT: dict[str, CommandSpec] = {spec.intent: spec for spec in COMMANDS}
# A stored question remembers the command that asked it by this kind.
BY_QUESTION_KIND: dict[str, CommandSpec] = {
    cancel.KIND: cancel.SPEC,
    status.KIND: status.SPEC,
    close_site.KIND: close_site.SPEC,
    mydata.KIND: mydata.ERASE_SPEC,
}
# Commands shown in the help only to those who may use them.
MANAGERS_ONLY = {open_desks.SPEC.intent, close_site.SPEC.intent, announce.SPEC.intent}


def visible_commands(ctx: Context) -> Iterator[CommandSpec]:
    """The commands the help lists for this sender."""
    is_manager = (
        ctx.is_admin
        or str(ctx.member.role) in ("manager", "admin")
        or any(ctx.member.matrix_id in site.managers for site in ctx.sites)
    )
    for spec in COMMANDS:
        if not spec.in_help:
            continue
        if spec.permission is Permission.ADMIN and not ctx.is_admin:
            continue
        if spec.intent in MANAGERS_ONLY and not is_manager:
            continue
        yield spec
