"""The in-process Matrix transport for the live tests: a ledger in memory, an echoing handler,
settings for the bot's account, and `running(...)` (the transport with its sync loop up)."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.messages import Handler, Message, Reply
from bot.transport.matrix import EventLedger, MatrixTransport
from tests.e2e.homeserver import Account, Homeserver


@dataclass
class MemoryLedger:
    """Handled event ids, as the database keeps them."""

    claimed: set[str] = field(default_factory=set)

    async def claim_event(self, event_id: str) -> bool:
        if event_id in self.claimed:
            return False
        self.claimed.add(event_id)
        return True


@dataclass
class EchoHandler:
    """Answers '<b>écho</b> : TEXT' and remembers what it was given."""

    messages: list[Message] = field(default_factory=list)

    async def handle(self, message: Message) -> list[Reply]:
        self.messages.append(message)
        text = f"écho : {message.text}"
        return [Reply(text=text, html=f"<b>écho</b> : {html.escape(message.text)}")]


def bot_settings(
    server: Homeserver, account: Account, store: Path, allowed: set[str] | None = None
) -> Settings:
    return Settings(
        database_url="sqlite+aiosqlite:///unused.sqlite3",
        matrix_homeserver=server.url,
        matrix_user_id=account.user_id,
        matrix_access_token=account.access_token,
        matrix_device_id=account.device_id,
        matrix_store_path=store,
        allowed_servers=frozenset(allowed or {server.server_name}),
    )


@asynccontextmanager
async def running(
    settings: Settings,
    handler: Handler,
    ledger: EventLedger | None = None,
    *,
    prepare: Callable[[MatrixTransport], None] | None = None,
    ready_within_s: float = 10.0,
) -> AsyncIterator[MatrixTransport]:
    """The transport with its sync loop running (stopped at the end, whatever happens);
    `prepare` sees it before its loop starts (e.g. to record the requests it sends)."""
    async with MatrixTransport(settings, handler, ledger or MemoryLedger()) as transport:
        if prepare is not None:
            prepare(transport)
        task = asyncio.create_task(transport.run())
        try:
            for _ in range(int(ready_within_s / 0.05)):
                if transport.sync_health()[0]:
                    break
                await asyncio.sleep(0.05)
            assert transport.sync_health()[0], transport.sync_health()
            yield transport
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
