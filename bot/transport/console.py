"""Talking to the bot in a terminal, on the configured database, with no server at all.

Lines starting with "/" are console controls: `/as MXID`, `/room NAME`, `/now ISO8601`,
`/react EMOJI` (a reaction to the bot's last message in the current room), `/unreact EMOJI`
(its removal), `/quit`.
Everything else is a message from the current user in the current room. The default room is a
direct (two-person) room; any other room name is a group room whose first speaker is its creator
(power level 100, as on Matrix).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.messages import Attachment, Handler, Message, Reaction, Reply
from storage.domain import RoomId, UserId

log = logging.getLogger(__name__)

DIRECT_ROOM = RoomId("direct")
CREATOR_POWER_LEVEL = 100


class ConsoleError(Exception):
    """A console control line that cannot be applied (bad id, bad date)."""


class ConsoleTransport:
    """Feeds console lines to a handler and prints replies; it is also the app's outbox."""

    def __init__(
        self,
        handler: Handler,
        *,
        set_now: Callable[[datetime], None],
        timezone: ZoneInfo,
        user: str = "@moi:localhost",
        room: RoomId = DIRECT_ROOM,
        out: TextIO = sys.stdout,
        jsonl: bool = False,
        command_prefix: str = "!bureau",
        on_clock_change: Callable[[], Awaitable[None]] | None = None,
        exports_dir: Path = Path("var/exports"),
    ) -> None:
        self.handler = handler
        self._set_now = set_now
        self.timezone = timezone
        self.user = _check_user(user)
        self.room = room
        self.out = out
        self.jsonl = jsonl
        self.prefix = command_prefix
        self._on_clock_change = on_clock_change  # scheduled jobs follow the clock at once
        self.exports_dir = exports_dir  # attachments (charts, CSV) are written here
        self.interactive = False
        self._room_creators: dict[RoomId, UserId] = {}
        self._room_members: dict[RoomId, set[UserId]] = {}
        self._lock = asyncio.Lock()  # replies of a command and of background jobs never interleave
        self._events = 0
        self._last_event: dict[str, str] = {}  # room → the bot's last message there
        self._reactions: dict[tuple[str, str, str], str] = {}  # (room, user, key) → reaction

    async def run(self, lines: AsyncIterator[str]) -> None:
        """Process lines until they end or `/quit`."""
        async for raw in lines:
            line = raw.strip()
            if not line:
                continue
            if line.startswith(("/react ", "/unreact ")):
                try:
                    await self.react(*line[1:].split(None, 1))
                except ConsoleError as error:
                    print(f"⚠️ {error}", file=sys.stderr if not self.interactive else self.out)
                continue
            if line.startswith("/"):
                try:
                    if not self.control(line):
                        return
                except ConsoleError as error:
                    print(f"⚠️ {error}", file=sys.stderr if not self.interactive else self.out)
                    continue
                if line.startswith("/now") and self._on_clock_change is not None:
                    await self._on_clock_change()
                continue
            await self.say(line)

    async def say(self, text: str) -> list[Reply]:
        """Send `text` as the current user in the current room and print the replies."""
        message = self._message(text)
        replies = await self.handler.handle(message)
        for reply in replies:
            await self._print(reply, default_room=self.room)
        return replies

    async def react(self, command: str, key: str) -> list[Reply]:
        """`/react ✅`: react to the bot's last message in the current room; `/unreact ✅`:
        remove that reaction. The replies are printed."""
        key = key.strip()
        handle = getattr(self.handler, "handle_reaction", None)
        if handle is None:
            raise ConsoleError("ce bot ne lit pas les réactions")
        slot = (self.room, self.user, key)
        if command == "unreact":
            event_id = self._reactions.pop(slot, None)
            if event_id is None:
                raise ConsoleError(f"aucune réaction {key} à retirer dans ce salon")
            reaction = self._reaction(event_id, None, key, removed=True)
        else:
            target = self._last_event.get(self.room)
            if target is None:
                raise ConsoleError("le bot n'a encore rien dit dans ce salon")
            event_id = self._new_event_id("reaction")
            self._reactions[slot] = event_id
            reaction = self._reaction(event_id, target, key)
        replies: list[Reply] = await handle(reaction)
        for reply in replies:
            await self._print(reply, default_room=self.room)
        return replies

    def _reaction(
        self, event_id: str, target: str | None, key: str, removed: bool = False
    ) -> Reaction:
        return Reaction(
            sender=self.user,
            room_id=self.room,
            event_id=event_id,
            target_event_id=target,
            key=key,
            removed=removed,
            sender_name=_display_name(self.user),
            is_direct=self.room == DIRECT_ROOM,
        )

    def _new_event_id(self, kind: str = "message") -> str:
        self._events += 1
        return f"$console-{kind}-{self._events}"

    async def send(self, reply: Reply) -> None:
        """Outbox: background jobs (digests, closure notices) print here too."""
        await self._print(reply, default_room=reply.room_id or DIRECT_ROOM)

    async def room_members(self, room_id: RoomId) -> list[tuple[UserId, str | None]] | None:
        """RoomDirectory: who has spoken in the room so far, the console's joined members
        (None for a room not seen in this session: its stored team stands)."""
        if room_id not in self._room_members:
            return None
        return [
            (user, _display_name(user)) for user in sorted(self._room_members.get(room_id, ()))
        ]

    def control(self, line: str) -> bool:
        """Apply a `/command`; False means quit."""
        name, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        if name in ("quit", "exit", "q"):
            return False
        if name == "as" and arg:
            self.user = _check_user(arg)
            self._note(f"vous êtes {self.user}")
        elif name == "room" and arg:
            self.room = RoomId(arg)
            self._note(f"salon {self.room}")
        elif name == "now" and arg:
            moment = self._parse_now(arg)
            self._set_now(moment)
            self._note(f"horloge du bot : {moment.isoformat()}")
        else:
            raise ConsoleError(
                f"commande console inconnue : {line} (/as, /room, /now, /react, /unreact, /quit)"
            )
        return True

    def _message(self, text: str) -> Message:
        if text.startswith(self.prefix):
            text = text[len(self.prefix) :].lstrip(" :,")
        creator = self._room_creators.setdefault(self.room, self.user)
        self._room_members.setdefault(self.room, set()).add(self.user)
        return Message(
            sender=self.user,
            room_id=self.room,
            text=text,
            sender_name=_display_name(self.user),
            is_direct=self.room == DIRECT_ROOM,
            power_level=CREATOR_POWER_LEVEL if creator == self.user else 0,
        )

    def _parse_now(self, value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ConsoleError(
                f"date ISO 8601 attendue, par ex. 2026-11-24T08:30 : {value}"
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.timezone)

    async def _print(self, reply: Reply, default_room: RoomId) -> None:
        room = reply.room_id or (DIRECT_ROOM if reply.to else default_room)
        event_id = reply.event_id  # set when it comes from the outbox (remembered there)
        if event_id is None:
            event_id = self._new_event_id()
            checkin = getattr(getattr(self.handler, "storage", None), "checkin", None)
            if reply.about is not None and checkin is not None:
                await checkin.remember_message(event_id, room, reply.about)
        self._last_event[room] = event_id
        files = [str(self._export(attachment)) for attachment in reply.attachments]
        async with self._lock:
            if self.jsonl:
                record: dict[str, object] = {
                    "room": room,
                    "to": reply.to,
                    "text": reply.text,
                    "html": reply.html,
                }
                if files:
                    record["files"] = files
                self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                where = (
                    f"[→ {reply.to}] " if reply.to else ("" if room == self.room else f"[{room}] ")
                )
                text = "\n".join([reply.text, *(f"📎 {path}" for path in files)])
                self.out.write(f"{where}{text}\n\n" if self.interactive else f"{where}{text}\n")
            self.out.flush()

    def _export(self, attachment: Attachment) -> Path:
        """Write an attachment under the exports folder (the console's way of sending it)."""
        self.exports_dir.mkdir(parents=True, exist_ok=True)
        path = self.exports_dir / Path(attachment.filename).name
        path.write_bytes(attachment.data)
        return path

    def _note(self, text: str) -> None:
        """Console feedback, only for people at a terminal (piped runs print replies only)."""
        if self.interactive:
            self.out.write(f"  ({text})\n")


def _check_user(user: str) -> UserId:
    if not (user.startswith("@") and ":" in user and " " not in user):
        raise ConsoleError(
            f"identifiant Matrix attendu, par ex. @jeanne.martin:localhost : {user}"
        )
    return UserId(user)  # the console is a transport: a typed line becomes a user id here


def _display_name(user: str) -> str:
    """'@jeanne.martin:serveur' → 'Jeanne Martin': what a Matrix profile would usually show."""
    local = user[1:].split(":", 1)[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part)
