"""`mon site c'est Metz`, `parle-moi en anglais`: the member's default site and language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

LANGUAGE_NAMES = {"fr": N_("French"), "en": N_("English")}


async def set_site(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    if not cmd.site:
        raise UserError(N_("Which site? Sites: {sites}."), sites=ctx.site_names())
    await ctx.storage.set_default_site(ctx.member.matrix_id, cmd.site)
    return ctx.reply().say(
        N_("📍 Your default site is now {site}: I use it when you do not name one."),
        strong=("site",),
        site=cmd.site,
    )


async def set_locale(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    locale = cmd.locale if cmd.locale in LANGUAGE_NAMES else None
    if locale is None:
        raise UserError(N_("I speak French and English."))
    await ctx.storage.set_locale(ctx.member.matrix_id, locale)
    ctx.tr = Translator(locale)  # answer in the language just chosen
    return ctx.reply().say(
        N_("🗣️ From now on I will answer you in {language}."),
        language=ctx.tr.gettext(LANGUAGE_NAMES[locale]),
    )


SET_SITE = CommandSpec(
    intent=Intent.SET_SITE,
    run=set_site,
    summary=N_("Choose your default site"),
    examples=(N_("my site is Metz"), N_("my default site is Nantes")),
)
SET_LOCALE = CommandSpec(
    intent=Intent.SET_LOCALE,
    run=set_locale,
    summary=N_("Choose the language I answer in"),
    examples=(N_("speak English"), N_("speak French")),
)
