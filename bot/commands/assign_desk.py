"""`attribue le bureau B-12 à @jean…`, `B-12 n'est plus attribué`: a site's managers give a
desk an owner, or take it away (issue 12). The new owner is told by a direct message (outbox).

The site is the one named, else the one site that has a desk with that label; the right is
checked for that site once it is known (`permissions.require`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.announcing import envelope_to, room_language
from bot.commands.base import CommandSpec, Context, Permission
from bot.commands.permissions import require
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent
from storage.owners import UnknownDesk

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def _desk_and_site(ctx: Context, cmd: ParsedCommand) -> tuple[str, str]:
    """The desk label and its site; asks when the label is missing, unknown or ambiguous."""
    label = cmd.desk
    if not label:
        raise UserError(N_("Which desk? Give its label, e.g. “assign desk B-12 to @jean…”."))
    sites = await ctx.storage.owners.desk_sites(label)
    if cmd.site is not None:
        await require(ctx, Permission.SITE_MANAGER, cmd.site)  # before saying what it has
        if cmd.site not in sites:
            raise UserError(
                N_("{site} has no desk {desk}."), strong=("desk",), site=cmd.site, desk=label
            )
        return label, cmd.site
    if not sites:
        raise UserError(N_("I know no desk {desk}."), strong=("desk",), desk=label)
    if len(sites) > 1:
        raise UserError(
            N_("Several sites have a desk {desk}: {sites}. Say which one (“… at Metz”)."),
            strong=("desk",),
            desk=label,
            sites=", ".join(sites),
        )
    return label, sites[0]


async def run_assign(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    who = cmd.appointee
    if not who or not who.startswith("@") or ":" not in who:
        raise UserError(N_("To whom? Give their Matrix id, e.g. “assign desk B-12 to @jean…”."))
    label, site = await _desk_and_site(ctx, cmd)
    await require(ctx, Permission.SITE_MANAGER, site)
    notice = ReplyBuilder(room_language(ctx)).say(
        N_(
            "🪑 Desk {desk} at {site} is now yours: nobody else can book it, except on the days"
            " you lend it (“I lend my desk on Friday”) or say you work remotely or are on leave."
        ),
        strong=("desk", "site"),
        desk=label,
        site=site,
    )
    try:
        desk, previous = await ctx.storage.owners.assign(
            ctx.member.matrix_id, site, label, who, [envelope_to("desk_owner", who, notice)]
        )
    except UnknownDesk:
        raise UserError(N_("I know no desk {desk}."), strong=("desk",), desk=label) from None
    builder = ctx.reply().say(
        N_("✅ Desk {desk} at {site} is now assigned to {who}."),
        strong=("desk", "site"),
        desk=desk.label,
        site=desk.site,
        who=who,
    )
    if previous is not None and previous != who:
        builder.say(N_("It was assigned to {previous} until now."), previous=previous)
    return builder


async def run_unassign(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    label, site = await _desk_and_site(ctx, cmd)
    await require(ctx, Permission.SITE_MANAGER, site)
    try:
        desk, previous = await ctx.storage.owners.assign(ctx.member.matrix_id, site, label, None)
    except UnknownDesk:
        raise UserError(N_("I know no desk {desk}."), strong=("desk",), desk=label) from None
    if previous is None:
        return ctx.reply().say(
            N_("Desk {desk} at {site} was not assigned to anyone."),
            strong=("desk", "site"),
            desk=desk.label,
            site=desk.site,
        )
    return ctx.reply().say(
        N_("✅ Desk {desk} at {site} is no longer assigned to {previous}: anyone may book it."),
        strong=("desk", "site"),
        desk=desk.label,
        site=desk.site,
        previous=previous,
    )


ASSIGN = CommandSpec(
    intent=Intent.ASSIGN_DESK,
    run=run_assign,
    permission=Permission.SITE_MANAGER,
    site_optional=True,
    refusal=N_(
        "Sorry, only the managers of the desk’s site can do that, or an administrator ({admins})."
    ),
    summary=N_("Managers: give a desk an owner"),
    examples=(
        N_("assign desk B-12 to @jeanne.martin:example.org"),
        N_("desk B-12 is no longer assigned"),
    ),
)
UNASSIGN = CommandSpec(
    intent=Intent.UNASSIGN_DESK,
    run=run_unassign,
    permission=Permission.SITE_MANAGER,
    site_optional=True,
    refusal=ASSIGN.refusal,
    in_help=False,  # shown with ASSIGN's examples
    summary=N_("Managers: a desk is nobody's any more"),
    examples=(N_("desk B-12 is no longer assigned"), N_("unassign desk B-12")),
)
