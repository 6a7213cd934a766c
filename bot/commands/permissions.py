"""Who may run what — the one place that decides it, for running a command and for the help.

Rights are scoped:
- `ADMIN`: the administrators of the settings, everywhere.
- `SITE_MANAGER`: the managers of *that* site (listed in the sites file or appointed in the
  chat: both are rows of the site's managers), and admins. Without a site (the help, an
  announcement to all one's sites) it means a manager of at least one site.
- `ROOM_LEAD`: in a group room, its moderators (Matrix power level >= 50), the lead who
  subscribed *that* room's digest, and admins; in a direct chat, its member (the room is theirs).
  A stored role (lead, manager) gives no right by itself: it says what a member is, not where.

A refusal is a polite `NotAllowed` that says who can.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context, Permission
from bot.errors import NotAllowed
from bot.i18n import N_

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

MODERATOR_POWER_LEVEL = 50


async def authorize(ctx: Context, spec: CommandSpec, parsed: ParsedCommand) -> None:
    """Raise `NotAllowed` unless the sender may run `spec` as `parsed` asks it (for the site
    the command names, or the sender's default site)."""
    permission = spec.permission_for(parsed)
    site: str | None = None
    if permission is Permission.SITE_MANAGER:
        site = parsed.site if spec.site_optional else ctx.require_site(parsed.site)
    if await has_permission(ctx, permission, site):
        return
    raise await refusal(ctx, spec, permission, site)


async def require(ctx: Context, permission: Permission, site: str | None = None) -> None:
    """Raise `NotAllowed` unless the sender has `permission` (for `site`): for the commands
    that learn which site they act on only as they run (statistics)."""
    if not await has_permission(ctx, permission, site):
        raise await refusal(ctx, None, permission, site)


async def has_permission(ctx: Context, permission: Permission, site: str | None = None) -> bool:
    """Whether the sender has `permission` here (for `site`, when it is a site's right)."""
    if permission is Permission.ANYONE or ctx.is_admin:
        return True
    if permission is Permission.SITE_MANAGER:
        return is_site_manager(ctx, site)
    if permission is Permission.ROOM_LEAD:
        return await is_room_lead(ctx)
    return False


def is_site_manager(ctx: Context, site: str | None = None) -> bool:
    """An admin, or a manager of `site` (of any site when `site` is None)."""
    if ctx.is_admin:
        return True
    return bool(managed_sites(ctx)) if site is None else site in managed_sites(ctx)


def managed_sites(ctx: Context) -> list[str]:
    """The sites the sender manages, by name (every site for an admin)."""
    sender = ctx.member.matrix_id
    return [s.name for s in ctx.sites if ctx.is_admin or sender in s.managers]


async def is_room_lead(ctx: Context) -> bool:
    """An admin, the member of a direct chat, a moderator of the room, or the lead who
    subscribed this room's digest."""
    if ctx.is_admin or ctx.message.is_direct:
        return True
    if (ctx.message.power_level or 0) >= MODERATOR_POWER_LEVEL:
        return True
    team = await ctx.storage.get_team(ctx.message.room_id)
    return team is not None and team.lead == ctx.member.matrix_id


async def visible_commands(ctx: Context, commands: Sequence[CommandSpec]) -> list[CommandSpec]:
    """The commands of `commands` the help lists for this sender: those shown in the help whose
    declared permission the sender has (site rights: for at least one site)."""
    return [
        spec for spec in commands if spec.in_help and await has_permission(ctx, spec.permission)
    ]


async def refusal(
    ctx: Context, spec: CommandSpec | None, permission: Permission, site: str | None
) -> NotAllowed:
    """The polite refusal for `permission` (worded by `spec` when it says how), naming who
    can."""
    if spec is not None and spec.refusal is not None:
        return NotAllowed(spec.refusal, admins=admins(ctx))
    if permission is Permission.SITE_MANAGER and site is not None:
        managers = await ctx.storage.managers_of(site)
        return NotAllowed(
            N_("Sorry, only the managers of {site} can do that: {managers}."),
            strong=("site",),
            site=site,
            managers=", ".join(managers) or admins(ctx),
        )
    if permission is Permission.ROOM_LEAD:
        return NotAllowed(N_("Sorry, only a team lead or a moderator of this room can do that."))
    return NotAllowed(
        N_("Sorry, only an administrator can do that ({admins})."), admins=admins(ctx)
    )


def admins(ctx: Context) -> str:
    """The administrators to name in a refusal."""
    return ", ".join(sorted(ctx.settings.admins)) or ctx.tr.gettext(N_("the bot's administrators"))
