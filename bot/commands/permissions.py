"""Who may run what: checked before a command runs; a refusal says who can do it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context, Permission
from bot.errors import NotAllowed
from bot.i18n import N_

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

MODERATOR_POWER_LEVEL = 50


async def authorize(ctx: Context, spec: CommandSpec, parsed: ParsedCommand) -> None:
    """Raise `NotAllowed` unless the sender may run `spec` (for the site the command names)."""
    site = ctx.require_site(parsed.site) if spec.permission is Permission.SITE_MANAGER else None
    await require(ctx, spec.permission, site)


async def require(ctx: Context, permission: Permission, site: str | None = None) -> None:
    """Raise `NotAllowed` (a polite refusal naming who can) unless the sender has `permission`."""
    if permission is Permission.ANYONE or ctx.is_admin:
        return
    if permission is Permission.SITE_MANAGER and site is not None:
        managers = await ctx.storage.managers_of(site)
        if ctx.member.matrix_id in managers:
            return
        raise NotAllowed(
            N_("Sorry, only the managers of {site} can do that: {managers}."),
            strong=("site",),
            site=site,
            managers=", ".join(managers) or admins(ctx),
        )
    if permission is Permission.ROOM_LEAD:
        level = ctx.message.power_level or 0
        if str(ctx.member.role) in ("lead", "manager", "admin") or level >= MODERATOR_POWER_LEVEL:
            return
        raise NotAllowed(N_("Sorry, only a team lead or a moderator of this room can do that."))
    raise NotAllowed(
        N_("Sorry, only an administrator can do that ({admins})."), admins=admins(ctx)
    )


def admins(ctx: Context) -> str:
    return ", ".join(sorted(ctx.settings.admins)) or ctx.tr.gettext(N_("the bot's administrators"))
