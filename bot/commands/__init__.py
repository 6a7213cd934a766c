"""The command registry: an explicit list, nothing registers itself at import time."""

from __future__ import annotations

from bot.commands import (
    announce,
    appoint,
    assign_desk,
    cancel,
    checkin,
    close_site,
    follow,
    free,
    help,
    lend_desk,
    mine,
    move,
    mydata,
    open_desks,
    preferences,
    recap,
    reserve,
    status,
    waitlist,
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
    assign_desk.ASSIGN,
    assign_desk.UNASSIGN,
    lend_desk.LEND,
    lend_desk.RECLAIM,
    lend_desk.WHO_HAS,
    help.SPEC,
    mydata.EXPORT_SPEC,
    mydata.ERASE_SPEC,
    waitlist.JOIN_SPEC,
    waitlist.SHOW_SPEC,
    waitlist.LEAVE_SPEC,
    checkin.SPEC,
)
BY_INTENT: dict[Intent, CommandSpec] = {spec.intent: spec for spec in COMMANDS}
# A stored question remembers the command that asked it by this kind.
BY_QUESTION_KIND: dict[str, CommandSpec] = {
    cancel.KIND: cancel.SPEC,
    status.KIND: status.SPEC,
    close_site.KIND: close_site.SPEC,
    mydata.KIND: mydata.ERASE_SPEC,
    waitlist.KIND: waitlist.JOIN_SPEC,
}
