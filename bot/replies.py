"""Building replies once, for both renderings: plain text for every client, HTML for the others.

A reply is a list of lines; each line is a translated template whose parameters are inserted
escaped in HTML (user-provided text can never inject markup) and, when asked, emphasised.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from bot.i18n import Translator
from bot.messages import Reply


@dataclass(frozen=True)
class Line:
    """One translated line: `template` already translated, `params` inserted at render time."""

    template: str
    params: dict[str, object] = field(default_factory=dict)
    strong: frozenset[str] = frozenset()
    bullet: bool = False
    raw_html: str | None = None  # already-rendered HTML (e.g. the digest's table)

    def text(self) -> str:
        body = self.template.format(**self.params)
        return f"• {body}" if self.bullet else body

    def html(self) -> str:
        if self.raw_html is not None:
            return self.raw_html
        values = {
            name: (f"<b>{html.escape(str(v))}</b>" if name in self.strong else html.escape(str(v)))
            for name, v in self.params.items()
        }
        return html.escape(self.template, quote=False).format(**values)


class ReplyBuilder:
    """Accumulates lines in one locale and builds the `Reply` (text + HTML)."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr
        self.lines: list[Line] = []

    def say(
        self, msgid: str, *, strong: tuple[str, ...] = (), translate: bool = True, **params: object
    ) -> ReplyBuilder:
        """Add a line: `msgid` is translated (unless `translate` is false: an already translated
        template), `strong` names the params shown in bold in HTML."""
        template = self.tr.gettext(msgid) if translate else msgid
        self.lines.append(Line(template, dict(params), frozenset(strong)))
        return self

    def item(
        self, msgid: str, *, strong: tuple[str, ...] = (), translate: bool = True, **params: object
    ) -> ReplyBuilder:
        """Add a bullet item (grouped into one HTML list with its neighbours)."""
        template = self.tr.gettext(msgid) if translate else msgid
        self.lines.append(Line(template, dict(params), frozenset(strong), bullet=True))
        return self

    def text(self, raw: str) -> ReplyBuilder:
        """Add a line of finished text (braces and markup in it are kept literally)."""
        self.lines.append(Line(raw.replace("{", "{{").replace("}", "}}")))
        return self

    def rich(self, text: str, html_: str) -> ReplyBuilder:
        """Add a block rendered elsewhere: its text as is, its HTML trusted (already escaped)."""
        self.lines.append(Line(text.replace("{", "{{").replace("}", "}}"), raw_html=html_))
        return self

    def plural(
        self, singular: str, plural: str, n: int, *, strong: tuple[str, ...] = (), **params: object
    ) -> ReplyBuilder:
        template = self.tr.ngettext(singular, plural, n, **{k: "{" + k + "}" for k in params})
        self.lines.append(Line(template, dict(params), frozenset(strong)))
        return self

    def extend(self, other: ReplyBuilder) -> ReplyBuilder:
        self.lines.extend(other.lines)
        return self

    def build(self, **reply_fields: object) -> Reply:
        """The Reply with both renderings; extra fields (room_id, to, mentions) pass through."""
        text = "\n".join(line.text() for line in self.lines)
        return Reply(text=text, html=_html(self.lines), **reply_fields)  # type: ignore[arg-type]  # Reply checks them


def _html(lines: list[Line]) -> str:
    parts: list[str] = []
    in_list = False
    for line in lines:
        if line.bullet and not in_list:
            parts.append("<ul>")
            in_list = True
        elif not line.bullet and in_list:
            parts.append("</ul>")
            in_list = False
        parts.append(f"<li>{line.html()}</li>" if line.bullet else line.html())
    if in_list:
        parts.append("</ul>")
    # Lines outside lists are separated by <br>; list tags already break lines.
    out: list[str] = []
    for part in parts:
        if (
            out
            and not part.startswith(("<ul>", "</ul>", "<li>"))
            and not out[-1].endswith(("<ul>", "</ul>", "</li>"))
        ):
            out.append("<br>")
        out.append(part)
    return "".join(out)
