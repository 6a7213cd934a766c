"""The command registry: an explicit list, nothing registers itself at import time."""

from __future__ import annotations

from bot.commands import (
    announce,
    appoint,
    cancel,
    checkin,
    close_site,
    follow,
    free,
    help,
    mine,
    move,
    mydata,
    open_desks,
    preferences,
    recap,
    reserve,
    status,
    who,
)
from bot.commands.base import CommandSpec
from storage.domain import Intent

COMMANDS: tuple[CommandSpec, ...] = (
    reserve.SPEC,
    cancel.SPEC,
    move.SPEC,
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
    checkin.SPEC,
)
BY_INTENT: dict[Intent, CommandSpec] = {spec.intent: spec for spec in COMMANDS}
# A stored question remembers the command that asked it by this kind.
BY_QUESTION_KIND: dict[str, CommandSpec] = {
    cancel.KIND: cancel.SPEC,
    status.KIND: status.SPEC,
    close_site.KIND: close_site.SPEC,
    mydata.KIND: mydata.ERASE_SPEC,
}
