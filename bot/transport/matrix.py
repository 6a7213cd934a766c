"""Bureau Volant on Matrix (Tchap): matrix-nio with end-to-end encryption (vodozemac).

`MatrixTransport` keeps one sync loop alive, turns the text messages addressed to the bot into
`Message`s for the handler, and sends the `Reply`s back as notices (it is also the app's `Outbox`
and `RoomDirectory`).
Each command is handled exactly once: its event id is claimed in the database before it runs,
and the sync position is saved only after the claims of a batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any, Protocol

from nio import (
    AsyncClient,
    EncryptionError,
    ErrorResponse,
    ForwardedRoomKeyEvent,
    MatrixRoom,
    MegolmEvent,
    RoomKeyEvent,
    RoomMessageText,
    SyncError,
    SyncResponse,
    UnknownToDeviceEvent,
)
from nio.responses import InviteInfo

from bot import metrics
from bot.config import Settings
from bot.i18n import Translator
from bot.messages import Handler, Message, Reaction, Reply
from bot.startup import StartupTimes
from bot.transport import matrix_files
from bot.transport.matrix_buffer import UndecryptedBuffer
from bot.transport.matrix_client import (
    CONNECTION_ERRORS,
    MatrixSessionError,
    explain_refusal,
    http_status,
    open_client,
)
from bot.transport.matrix_crypto import (
    forget_idle_outbound,
    forget_idle_sessions,
    prune_megolm_sessions,
    query_keys_in_batches,
    restore_tracked_users,
    save_new_tracked_users,
)
from bot.transport.matrix_delivery import MatrixCourier
from bot.transport.matrix_filter import bot_sync_filter
from bot.transport.matrix_inbound import (
    command_message,
    first_new_event,
    inviter_of,
)
from bot.transport.matrix_reactions import reaction_of
from bot.transport.matrix_retry import Backoff, error_kind, retry_delay
from bot.transport.matrix_rooms import RoomKeeper
from bot.transport.matrix_sender import Sender
from bot.transport.matrix_text import is_allowed, looks_like_bot, notice_content
from bot.transport.matrix_withheld import WithheldSessions, notice_text, parse_withheld
from bot.unavailable import unavailable_reply
from storage.availability import DatabaseUnavailable, is_unavailable
from storage.domain import RoomId, UserId
from storage.outbox import Envelope

__all__ = ["EventLedger", "MatrixSessionError", "MatrixTransport"]

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
SYNC_GRACE_S = 30.0  # on top of the long-poll before a sync is declared stuck
HEALTHY_SYNC_AGE_S = 120.0
# The very first sync only needs state (rooms, members, invites): its history is skipped.
# Later syncs resume from the saved token: the rooms' state is restored from disk, never
# asked for in full again (`matrix_rooms`).
FIRST_SYNC_FILTER = bot_sync_filter(timeline_limit=1, lazy_load_members=False)
SYNC_FILTER = bot_sync_filter()
# The very first sync of a bot already in many rooms is big: it gets longer than the others.
FIRST_SYNC_GUARD_S = 600.0
MEGOLM_PRUNE_EVERY_S = 3600.0
IDLE_IN_MEMORY_S = 3600.0  # rooms, devices, sessions unused this long leave memory (not disk)
TYPING_DELAY_S = 0.3  # quick answers need no typing notice: it would only flicker
TYPING_TIMEOUT_MS = 30_000
DRAIN_TIMEOUT_S = 10.0  # on shutdown, commands in progress get this long to answer
COMMAND_LEASE = timedelta(seconds=45)  # another process answers a command claimed this long ago
TAKE_OVER_EVERY_S = 10.0
WAITING_KEPT_S = 600.0  # commands received while the database is away: kept 10 minutes
RECONNECT_EVERY_S = 1.0


class EventLedger(Protocol):
    """Remembers handled command events (the storage core implements it; the scheduler prunes
    them after a week)."""

    async def claim_event(self, event_id: str) -> bool: ...


@dataclasses.dataclass
class Waiting:
    """A command received while the database did not answer."""

    message: Message
    since: float
    claimed: bool = False  # claimed before the database went away: do not claim it again


def message_payload(message: Message) -> dict[str, Any]:
    """The command as stored with its claim (so another process can answer it)."""
    return dataclasses.asdict(message)


def message_from_payload(payload: dict[str, Any]) -> Message:
    fields = {f.name for f in dataclasses.fields(Message)}
    values = {k: v for k, v in payload.items() if k in fields}
    if isinstance(values.get("received_at"), str):
        values["received_at"] = datetime.fromisoformat(values["received_at"])
    return Message(**values)


class MatrixTransport:
    """The Matrix edge of the bot: `async with MatrixTransport(...) as t: await t.run()`."""

    def __init__(
        self,
        settings: Settings,
        handler: Handler,
        ledger: EventLedger,
        owner: str = "bot",
        outbox_written: Callable[[], None] | None = None,
        startup: StartupTimes | None = None,
    ) -> None:
        settings.require_matrix()
        self.settings = settings
        self.handler = handler
        self.ledger = ledger
        self.owner = owner
        self._outbox_written = outbox_written or (lambda: None)
        self._startup = startup  # marked and reported until the first sync, then dropped
        self._client: AsyncClient | None = None
        self._sender: Sender | None = None
        self._courier: MatrixCourier | None = None
        # Commands received while the database is away, in the order they came.
        self._waiting: deque[Waiting] = deque()
        self._database_down = False
        self._in_hand: set[str] = set()  # commands this process is answering now
        self._tasks: set[asyncio.Task[None]] = set()
        self._room_locks: dict[str, asyncio.Lock] = {}
        self._invites_seen: set[str] = set()
        self._rooms: RoomKeeper | None = None
        # Room → its all-powerful creators (room versions 12+), read from the synced state.
        self._creators: dict[str, frozenset[str]] = {}
        self._megolm_pruned_at = 0.0
        self._tracked_saved: set[str] = set()
        self._undecrypted: UndecryptedBuffer[tuple[str, MegolmEvent]] = UndecryptedBuffer()
        self._keys_arrived: set[str] = set()
        self._withheld = WithheldSessions()
        self._saved_token: str | None = None
        self._last_success: float | None = None
        self._last_error: str | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def __aenter__(self) -> MatrixTransport:
        self._client = await open_client(self.settings)
        self._mark("Matrix login")
        self._client.add_to_device_callback(
            self._on_room_key, (RoomKeyEvent, ForwardedRoomKeyEvent)
        )
        self._client.add_to_device_callback(self._on_unknown_to_device, (UnknownToDeviceEvent,))
        self._tracked_saved = restore_tracked_users(self._client)
        self._rooms = RoomKeeper(self.settings.matrix_store_path, self._client.user_id)
        assert self._client.store is not None
        self._rooms.restore(self._client, has_token=bool(self._client.store.load_sync_token()))
        self._creators = self._rooms.creators
        log.info("device lists of %d users restored as tracked", len(self._tracked_saved))
        self._mark("devices and rooms restored")
        self._sender = Sender(
            self._client,
            self._spawn,
            direct_index=self._rooms.direct,
            members_fetched=self._rooms.mark_changed,
        )
        outbox = getattr(self.ledger, "outbox", None)
        if outbox is not None:
            self._courier = MatrixCourier(self._client, self._sender, outbox)
        return self

    @property
    def courier(self) -> MatrixCourier | None:
        """The outbox's courier, once the first sync has shown the bot's rooms."""
        return self._courier if self._last_success is not None else None

    def database_health(self) -> tuple[bool, str]:
        """(healthy, why) as the transport saw the database last."""
        if self._database_down:
            return False, f"unavailable; {len(self._waiting)} commands waiting"
        return True, "answers"

    async def __aexit__(self, *exc_info: object) -> None:
        await self._drain()
        if self._rooms is not None:
            if self._client is not None:
                # What changed since the last sync (members fetched to encrypt a reply) is
                # saved too: the next start must not fetch it again.
                self._rooms.flush(self._client)
            self._rooms.close()
        if self._client is not None:
            await self._client.close()

    @property
    def rooms(self) -> RoomKeeper:
        """What the transport knows of its rooms (restored at start, saved after each sync)."""
        if self._rooms is None:
            raise RuntimeError("MatrixTransport is not open: use `async with`")
        return self._rooms

    async def direct_room(self, user_id: UserId) -> RoomId:
        """The direct room with `user_id` (from the on-disk index), created if there is none."""
        return await self._require_sender().direct_room(user_id)

    @property
    def client(self) -> AsyncClient:
        """The nio client (for tests and diagnostics)."""
        if self._client is None:
            raise RuntimeError("MatrixTransport is not open: use `async with`")
        return self._client

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    def sync_health(self) -> tuple[bool, str]:
        """(healthy, why): the last sync attempt succeeded, less than two minutes ago."""
        if self._last_success is None:
            return False, self._last_error or "no successful sync yet"
        age = time.monotonic() - self._last_success
        if self._last_error is not None:
            return False, f"last sync failed ({self._last_error}), last success {age:.0f} s ago"
        if age > HEALTHY_SYNC_AGE_S:
            return False, f"no successful sync for {age:.0f} s"
        return True, f"last sync {age:.0f} s ago"

    # -- outbox ---------------------------------------------------------------------------------

    async def send(self, reply: Reply) -> None:
        """Outbox: say something first, in a room (`room_id`) or directly to a user (`to`)."""
        sender = self._require_sender()
        if reply.to:
            room_id = await sender.direct_room(reply.to)
        elif reply.room_id:
            room_id = reply.room_id
        else:
            raise ValueError("a reply sent first needs a room_id or a recipient (to)")
        await sender.send(room_id, notice_content(reply.text, reply.html, mentions=reply.mentions))
        await self._send_files(room_id, reply)

    async def room_members(self, room_id: RoomId) -> list[tuple[UserId, str | None]] | None:
        """RoomDirectory: the joined members of a room (user id, display name), bots excepted.

        Invited people are not members yet. Left out: the bot itself and the members whose name
        says they are bots (`looks_like_bot`: "@rappels-bot:…", "Sondages [bot]").
        """
        room = self.client.rooms.get(room_id)
        if room is None:
            return None  # not in the room (any more): the stored team stands
        if not room.members_synced:
            await self.client.joined_members(room_id)  # refreshes `room.users`
            self.rooms.mark_changed(room_id)
        return sorted(
            (user_id, user.display_name)
            for user_id, user in room.users.items()
            if not user.invited
            and user_id != self.user_id
            and not looks_like_bot(user_id, user.display_name)
        )

    # -- sync loop ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Sync until cancelled; errors are retried with backoff (at most 60 s apart).

        Raises `MatrixSessionError` when the homeserver revokes the bot's token.
        """
        client = self.client
        assert client.store is not None
        since = client.store.load_sync_token() or None
        self._saved_token = since
        first_ever = since is None
        first = True
        backoff = Backoff(initial=1.0, cap=60.0)
        if first_ever:
            log.info("first start: the history of the rooms is skipped")
        if hasattr(self.ledger, "take_over_commands"):
            self._spawn(self._take_over_loop(), "take over commands")
        while True:
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
                # cancellation that arrives as the sync completes, and the loop never stops.
                guard = FIRST_SYNC_GUARD_S if first_ever and first else SYNC_GRACE_S
                async with asyncio.timeout(SYNC_TIMEOUT_MS / 1000 + guard):
                    response = await client.sync(
                        # No long-poll on the first sync and after a failure: the health
                        # check learns at once that the homeserver answers again.
                        timeout=0 if first or self._last_error else SYNC_TIMEOUT_MS,
                        sync_filter=FIRST_SYNC_FILTER if first_ever and first else SYNC_FILTER,
                        since=since if first else None,
                    )
            except CONNECTION_ERRORS as error:
                kind = "timeout" if isinstance(error, TimeoutError) else "connection"
                await self._sync_failed(kind, f"{kind}: {error or type(error).__name__}", backoff)
                continue
            if isinstance(response, SyncError) or not isinstance(response, SyncResponse):
                await self._sync_refused(response, backoff)
                continue
            try:
                await self._process(response, skip_history=first_ever and first)
            except Exception as error:  # keep the loop alive; the batch is fetched again
                log.exception("could not process a sync batch: it will be fetched again")
                client.next_batch = self._saved_token or ""
                await self._sync_failed("internal", f"internal: {error!r}", backoff)
                continue
            client.store.save_sync_token(response.next_batch)
            self._saved_token = response.next_batch
            if first and self.rooms.needs_backfill:
                # The sync token survived but not the rooms' state: fetch it, outside the loop.
                self._spawn(self.rooms.backfill(client), "room state backfill")
            first = False
            self._sync_succeeded(backoff)
            await self._maintain_crypto()

    def _mark(self, step: str) -> None:
        if self._startup is not None:
            self._startup.mark(step)

    def _sync_succeeded(self, backoff: Backoff) -> None:
        if self._startup is not None:
            self._mark("first sync")
            self._startup.report()
            self._startup = None
        if self._last_error is not None:
            log.info("sync works again")
        self._last_success = time.monotonic()
        self._last_error = None
        metrics.LAST_SYNC.set(time.time())
        backoff.reset()

    async def _sync_failed(self, kind: str, description: str, backoff: Backoff) -> None:
        await self._sync_wait(kind, description, backoff.next_delay())

    async def _sync_refused(self, response: Any, backoff: Backoff) -> None:
        if not isinstance(response, ErrorResponse):
            await self._sync_failed("error", f"unexpected response {response!r}", backoff)
            return
        status = http_status(response)
        kind = error_kind(response.status_code, status)
        if kind == "unknown_token":
            metrics.SYNC_ERRORS.labels(kind).inc()
            self._last_error = kind
            raise MatrixSessionError(explain_refusal(response))
        if kind == "expired_account":
            log.error("%s; retrying", explain_refusal(response))
        delay = retry_delay(response.retry_after_ms, backoff)
        await self._sync_wait(kind, f"{kind}: {response}", min(delay, backoff.cap))

    async def _sync_wait(self, kind: str, description: str, delay: float) -> None:
        metrics.SYNC_ERRORS.labels(kind).inc()
        self._last_error = description
        log.warning("sync failed (%s): retrying in %.1f s", description, delay)
        await asyncio.sleep(delay)

    async def _maintain_crypto(self) -> None:
        """What `sync_forever` does between syncs: to-device messages and key bookkeeping."""
        client = self.client
        try:
            if client.outgoing_to_device_messages:
                await client.send_to_device_messages()
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                await query_keys_in_batches(client)
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())
        except CONNECTION_ERRORS as error:
            log.warning("encryption key upkeep failed (done again after the next sync): %s", error)
        except Exception:  # nio raises LocalProtocolError when a concurrent send did it first
            log.debug("encryption key upkeep skipped", exc_info=True)
        try:
            save_new_tracked_users(client, self._tracked_saved)
        except Exception:
            log.exception("could not save the tracked device lists")
        now = time.monotonic()
        seen_db = self.rooms.seen_db
        if seen_db is not None and now - self._megolm_pruned_at > MEGOLM_PRUNE_EVERY_S:
            self._megolm_pruned_at = now
            try:
                prune_megolm_sessions(
                    client, seen_db, self.settings.matrix_megolm_retention_days * 86400.0
                )
            except Exception:
                log.exception("could not prune old Megolm sessions")
            try:  # what idle rooms and devices hold in memory (it stays on disk)
                forget_idle_sessions(client, IDLE_IN_MEMORY_S)
                forget_idle_outbound(client, self._require_sender().last_sent, IDLE_IN_MEMORY_S)
                self.rooms.forget_idle(client, IDLE_IN_MEMORY_S)
            except Exception:
                log.exception("could not drop idle rooms and sessions from memory")

    # -- what arrives ---------------------------------------------------------------------------

    async def _process(self, response: SyncResponse, skip_history: bool) -> None:
        for room_id, invite in response.rooms.invite.items():
            self._on_invite(room_id, invite)
        # Creators, changed rooms saved to disk (a room's create event comes in the state of
        # the sync that shows it first: nio does not keep its sender).
        self.rooms.after_sync(self.client, response, full=skip_history)
        if skip_history:
            return
        for room_id, info in response.rooms.join.items():
            room = self.client.rooms.get(room_id)
            if room is None:
                continue
            events = info.timeline.events
            for event in events[first_new_event(events, self.user_id) :]:
                await self._on_event(room, event)
        await self._retry_undecrypted()

    async def _on_event(self, room: MatrixRoom, event: Any) -> None:
        if getattr(event, "sender", None) == self.user_id:
            return
        if isinstance(event, MegolmEvent):
            self._keep_undecrypted(room, event)
            return
        reaction = reaction_of(
            room,
            event,
            own_user_id=self.user_id,
            allowed_servers=self.settings.allowed_servers,
        )
        if reaction is not None:
            await self._on_reaction(*reaction)
            return
        if isinstance(event, RoomMessageText) and room.room_id not in self.rooms.known:
            # A room whose state the bot lost or never had in full: fetch it before reading
            # who is speaking, with which power, in a direct room or not.
            room = await self.rooms.ensure_known(self.client, room.room_id) or room
        message = command_message(
            room,
            event,
            own_user_id=self.user_id,
            prefix=self.settings.command_prefix,
            allowed_servers=self.settings.allowed_servers,
            creators=self._creators.get(room.room_id, frozenset()),
        )
        if message is None or message.event_id is None:
            return
        if self._waiting:  # the database is away: after the others, in order
            self._hold(Waiting(message, time.monotonic()), tell=True)
            return
        try:
            claimed = await self._claim(message)
        except Exception as error:
            if not is_unavailable(error):
                raise
            self._went_away(error)
            self._hold(Waiting(message, time.monotonic()), tell=True)
            return
        if not claimed:
            log.info("event %s was already handled: skipped", message.event_id)
            return
        self._spawn(self._answer(message), f"command {message.event_id}")

    async def _on_reaction(self, claim_id: str, reaction: Reaction) -> None:
        """A reaction or a redaction: claimed once (its own event id), then handled."""
        if not hasattr(self.handler, "handle_reaction"):
            return
        try:
            if not await self.ledger.claim_event(claim_id):
                log.info("event %s was already handled: skipped", claim_id)
                return
        except Exception as error:
            if not is_unavailable(error):
                raise
            log.warning("reaction %s dropped: the database is unavailable", claim_id)
            return
        self._spawn(self._answer_reaction(reaction), f"reaction {claim_id}")

    async def _answer_reaction(self, reaction: Reaction) -> None:
        """Handle a reaction and send its replies, in turn with the room's commands."""
        sender = self._require_sender()
        lock = self._room_locks.setdefault(reaction.room_id, asyncio.Lock())
        async with lock:
            try:
                replies = await self.handler.handle_reaction(reaction)
            except DatabaseUnavailable as error:
                self._went_away(error)
                log.warning("reaction %s dropped: the database is unavailable", reaction.event_id)
                return
            elsewhere = [r for r in replies if r.to or r.room_id]
            if elsewhere:
                await self._enqueue(elsewhere)
            for reply in replies:
                if reply.to or reply.room_id:
                    continue
                content = notice_content(
                    reply.text, reply.html, in_reply_to=reaction.target_event_id
                )
                event_id = await sender.send(reaction.room_id, content)
                await self._remember(event_id, reaction.room_id, reply)

    async def _remember(self, event_id: str, room_id: RoomId, reply: Reply) -> None:
        """Keep what a reply is about with its event id (a reaction to it is read with it)."""
        checkin = getattr(self.ledger, "checkin", None)
        if reply.about is None or checkin is None:
            return
        try:
            await checkin.remember_message(event_id, room_id, reply.about)
        except Exception as error:  # the reply went out; only reactions to it are lost
            log.warning("could not remember what %s is about: %s", event_id, error)

    async def _claim(self, message: Message) -> bool:
        assert message.event_id is not None
        claim_command = getattr(self.ledger, "claim_command", None)
        if claim_command is None:
            return await self.ledger.claim_event(message.event_id)
        claimed: bool = await claim_command(
            message.event_id, self.owner, message_payload(message), COMMAND_LEASE
        )
        return claimed

    # -- the database goes away and comes back --------------------------------------------------

    def _went_away(self, error: BaseException) -> None:
        if not self._database_down:
            log.warning(
                "the database is unavailable (%s): commands are kept and handled when it is back",
                error,
            )
            metrics.DATABASE_UP.set(0)
            self._database_down = True
            self._spawn(self._reconnect(), "database reconnect")

    def _hold(self, waiting: Waiting, tell: bool) -> None:
        self._waiting.append(waiting)
        metrics.COMMANDS_WAITING.set(len(self._waiting))
        if tell:
            self._spawn(self._tell_unavailable(waiting.message), "unavailable notice")

    async def _tell_unavailable(self, message: Message) -> None:
        reply = unavailable_reply(self.settings.locale)
        content = notice_content(
            reply.text,
            reply.html,
            in_reply_to=message.event_id,
            thread_root_id=message.thread_id,
        )
        try:
            await self._require_sender().send(message.room_id, content)
        except Exception as error:
            log.debug("could not say the service is unavailable: %s", error)

    async def _reconnect(self) -> None:
        """Until the database answers again, then the waiting commands in order."""
        while self._waiting or self._database_down:
            now = time.monotonic()
            while self._waiting and now - self._waiting[0].since > WAITING_KEPT_S:
                dropped = self._waiting.popleft()
                log.warning(
                    "command %s waited more than 10 minutes for the database: dropped",
                    dropped.message.event_id,
                )
            try:
                await self.ledger.ping()  # type: ignore[attr-defined]  # the Storage has it
            except Exception as error:
                if not is_unavailable(error):
                    log.exception("database check failed")
                await asyncio.sleep(RECONNECT_EVERY_S)
                continue
            if not await self._replay():
                await asyncio.sleep(RECONNECT_EVERY_S)
                continue
            if self._database_down:
                log.info("the database answers again")
                metrics.DATABASE_UP.set(1)
                self._database_down = False
        metrics.COMMANDS_WAITING.set(0)

    async def _replay(self) -> bool:
        """Claim and answer the waiting commands, in order; False if the database left again."""
        while self._waiting:
            waiting = self._waiting[0]
            message = waiting.message
            try:
                claimed = waiting.claimed or await self._claim(message)
            except Exception as error:
                if not is_unavailable(error):
                    raise
                return False
            self._waiting.popleft()
            metrics.COMMANDS_WAITING.set(len(self._waiting))
            if claimed:
                self._spawn(self._answer(message), f"command {message.event_id}")
        return True

    async def _take_over_loop(self) -> None:
        """Answer the commands another process claimed and never answered (it died)."""
        take_over = self.ledger.take_over_commands  # type: ignore[attr-defined]  # hasattr in run()
        while True:
            await asyncio.sleep(TAKE_OVER_EVERY_S)
            if self._database_down:
                continue
            try:
                payloads = await take_over(self.owner, COMMAND_LEASE)
            except Exception as error:
                if not is_unavailable(error):
                    log.exception("could not look for abandoned commands")
                continue
            for payload in payloads:
                message = message_from_payload(payload)
                log.info("answering %s, claimed by a process that stopped", message.event_id)
                self._spawn(self._answer(message), f"command {message.event_id}")

    async def _answer(self, message: Message) -> None:
        """Run one command and send its replies, one command at a time per room."""
        assert message.event_id is not None
        if message.event_id in self._in_hand:
            return  # taken over from ourselves while we answer it
        self._in_hand.add(message.event_id)
        try:
            await self._answer_in_room(message)
        finally:
            self._in_hand.discard(message.event_id)

    async def _answer_in_room(self, message: Message) -> None:
        assert message.event_id is not None
        sender = self._require_sender()
        lock = self._room_locks.setdefault(message.room_id, asyncio.Lock())
        async with lock:
            typing = sender.typing_after(message.room_id, TYPING_DELAY_S, TYPING_TIMEOUT_MS)
            try:
                try:
                    replies = await self.handler.handle(message)
                except DatabaseUnavailable as error:
                    typing.cancel()
                    self._went_away(error)
                    self._hold(Waiting(message, time.monotonic(), claimed=True), tell=True)
                    return
                typing.cancel()
                # What goes elsewhere goes through the outbox (the commands that change
                # something write theirs with the change; these are the rest).
                elsewhere = [r for r in replies if r.to or r.room_id]
                if elsewhere:
                    await self._enqueue(elsewhere)
                for reply in replies:
                    if reply.to or reply.room_id:
                        continue
                    content = notice_content(
                        reply.text,
                        reply.html,
                        in_reply_to=message.event_id,
                        thread_root_id=message.thread_id,
                        mentions=reply.mentions,
                    )
                    event_id = await sender.send(message.room_id, content)
                    await self._remember(event_id, message.room_id, reply)
                    await self._send_files(message.room_id, reply)
                await self._done(message)
            finally:
                typing.cancel()
                await sender.stop_typing(message.room_id)
                # After the answer, not before: a receipt wakes every client's sync in the room,
                # and the answer would wait behind it.
                sender.mark_read(message.room_id, message.event_id, message.thread_id)

    async def _enqueue(self, replies: list[Reply]) -> None:
        """Write replies meant for other rooms or people to the outbox."""
        outbox = getattr(self.ledger, "outbox", None)
        if outbox is None:  # a ledger without an outbox (tests): send them now
            for reply in replies:
                try:
                    await self.send(reply)
                except Exception:
                    log.exception("could not deliver a message to %s", reply.to or reply.room_id)
            return
        await outbox.enqueue(
            [
                Envelope(
                    "message",
                    r.text,
                    r.html,
                    room_id=None if r.to else r.room_id,
                    to=r.to,
                    mentions=r.mentions,
                    about=r.about,
                )
                for r in replies
            ]
        )
        self._outbox_written()

    async def _done(self, message: Message) -> None:
        command_done = getattr(self.ledger, "command_done", None)
        if command_done is None or message.event_id is None:
            return
        try:
            await command_done(message.event_id)
        except Exception as error:  # the claim's lease ends: at worst answered again
            log.warning("could not mark %s answered: %s", message.event_id, error)

    async def _send_files(self, room_id: RoomId, reply: Reply) -> None:
        """A reply's attachments, after its text (encrypted uploads in encrypted rooms)."""
        for attachment in reply.attachments:
            content = await matrix_files.upload(
                self.client, attachment, matrix_files.is_encrypted(self.client, room_id)
            )
            await self._require_sender().send(room_id, content)

    def _on_invite(self, room_id: RoomId, invite: InviteInfo) -> None:
        if room_id in self._invites_seen:
            return
        self._invites_seen.add(room_id)
        inviter = inviter_of(invite, self.user_id)
        if inviter is None or not is_allowed(inviter, self.settings.allowed_servers):
            log.warning(
                "ignoring the invite to %s from %s: its server is not in BOT_ALLOWED_SERVERS (%s)",
                room_id,
                inviter,
                ", ".join(sorted(self.settings.allowed_servers)),
            )
            return
        self._spawn(self._join(room_id, inviter), f"join {room_id}")

    async def _join(self, room_id: RoomId, inviter: str) -> None:
        await self._require_sender().join(room_id, inviter)
        # Joined: a later invite (after a kick) is a new one. Given up: the invite is offered
        # again at the next start.
        self._invites_seen.discard(room_id)

    # -- undecryptable events -------------------------------------------------------------------

    def _keep_undecrypted(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if not is_allowed(event.sender, self.settings.allowed_servers):
            return
        dropped = self._undecrypted.add(
            event.event_id, event.session_id, (room.room_id, event), time.monotonic()
        )
        for waiting in dropped:
            log.warning("dropping undecryptable event %s: buffer full", waiting.event_id)
        log.info(
            "cannot decrypt %s from %s yet (session %s): asking for its key",
            event.event_id,
            event.sender,
            event.session_id,
        )
        self._spawn(self._require_sender().request_key(event), f"key request {event.event_id}")
        if self._withheld.get(event.session_id) is not None:
            self._spawn(self._tell_withheld(event.session_id), f"withheld {event.session_id}")

    def _on_room_key(self, event: RoomKeyEvent) -> None:
        self._keys_arrived.add(event.session_id)

    async def _retry_undecrypted(self) -> None:
        arrived, self._keys_arrived = self._keys_arrived, set()
        for session_id in arrived:
            for waiting in self._undecrypted.take_session(session_id):
                room_id, event = waiting.item
                room = self.client.rooms.get(room_id)
                if room is None:
                    continue
                event.room_id = room_id
                try:
                    decrypted = self.client.decrypt_event(event)
                except EncryptionError as error:
                    log.warning("could not decrypt %s with its key: %s", event.event_id, error)
                    metrics.UNDECRYPTABLE.labels("decryption_error").inc()
                    continue
                log.info("decrypted %s after its key arrived", event.event_id)
                await self._on_event(room, decrypted)
        for waiting in self._undecrypted.expire(time.monotonic()):
            log.warning("gave up on %s: its room key never arrived", waiting.event_id)
            metrics.UNDECRYPTABLE.labels("key_never_arrived").inc()

    def _on_unknown_to_device(self, event: UnknownToDeviceEvent) -> None:
        withheld = parse_withheld(event.type, event.sender, event.source.get("content") or {})
        if withheld is None:
            return
        self._withheld.record(withheld)
        if any(w.session_id == withheld.session_id for w in self._undecrypted):
            session_id = withheld.session_id
            self._spawn(self._tell_withheld(session_id), f"withheld {session_id}")

    async def _tell_withheld(self, session_id: str) -> None:
        """After the key-request wait, say once per room that a withheld message is unreadable."""
        await asyncio.sleep(self.settings.matrix_key_wait_s)
        withheld = self._withheld.get(session_id)
        waiting = self._undecrypted.take_session(session_id)
        if withheld is None or not waiting:
            return  # the key came after all, or another task told already
        for item in waiting:
            room_id, event = item.item
            metrics.UNDECRYPTABLE.labels(withheld.label).inc()
            log.warning("cannot read %s: its key was withheld (%s)", event.event_id, withheld.code)
            room = self.client.rooms.get(room_id)
            # In a group room the unreadable message was most likely not for the bot.
            direct = room is not None and room.member_count <= 2
            if not direct or not self._withheld.may_tell(room_id, time.monotonic()):
                continue
            text = Translator(self.settings.locale).gettext(
                notice_text(withheld.code), code=withheld.code
            )
            content = notice_content(text, in_reply_to=event.event_id)
            await self._require_sender().send(room_id, content)

    # -- tasks ----------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Run `coro` as a tracked task whose failure is logged, never lost nor fatal."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            log.error("task %r failed", task.get_name(), exc_info=error)

    async def _drain(self) -> None:
        """Let commands in progress answer (briefly), then cancel what is left."""
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            _, still_running = await asyncio.wait(pending, timeout=DRAIN_TIMEOUT_S)
            for task in still_running:
                task.cancel()
            await asyncio.gather(*still_running, return_exceptions=True)

    def _require_sender(self) -> Sender:
        if self._sender is None:
            raise RuntimeError("MatrixTransport is not open: use `async with`")
        return self._sender
