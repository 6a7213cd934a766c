"""Putting a bot in many rooms fast, through the client API (no full clients, no devices).

Half the rooms are encrypted direct chats, each with its own agent; half are named team rooms
of 5 to 10 members drawn from a pool. People are created through Synapse's admin API without a
password (no password hashing: thousands per minute) and get a token from the admin login-as
API; every room creation, invite and join runs a few dozen at a time. Used by `bench/rooms.py`
and the restart tests.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

from tests.e2e.homeserver import Account, Homeserver, register, unique_name

PARALLEL = 8  # Synapse is one process: more in flight only queues
TEAM_POOL = 60
ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@dataclass
class Population:
    """What was built: the bot's account, its rooms, and the people in them."""

    bot: dict[str, str]
    admin: dict[str, str]
    direct: dict[str, str] = field(default_factory=dict)  # agent → room
    teams: dict[str, list[str]] = field(default_factory=dict)  # room → members (bot excepted)
    tokens: dict[str, str] = field(default_factory=dict)  # agent → access token

    @property
    def bot_account(self) -> Account:
        return Account(**self.bot)

    @property
    def rooms(self) -> int:
        return len(self.direct) + len(self.teams)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Population | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


async def new_population(server: Homeserver) -> Population:
    """A bot and an admin, in no room yet."""
    bot = await register(server, unique_name("bureau"))
    admin = await register(server, unique_name("admin"), admin=True)
    return Population(bot=asdict(bot), admin=asdict(admin))


async def grow(
    server: Homeserver, population: Population, rooms: int, team_size: tuple[int, int] = (5, 10)
) -> None:
    """Add rooms until the bot is in `rooms` (half direct, half teams of `team_size` people)."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as http:
        api = _Api(http, server.url)
        limit = asyncio.Semaphore(PARALLEL)
        bot = population.bot_account
        admin = population.admin["access_token"]

        async def person() -> tuple[str, str]:
            user_id = server.user_id(f"agent-{secrets.token_hex(5)}")
            await api.call("PUT", f"/_synapse/admin/v2/users/{quote(user_id)}", admin, {})
            login = await api.call(
                "POST", f"/_synapse/admin/v1/users/{quote(user_id)}/login", admin, {}
            )
            population.tokens[user_id] = login["access_token"]
            return user_id, login["access_token"]

        async def direct() -> None:
            async with limit:
                user_id, token = await person()
                created = await api.call(
                    "POST",
                    "/_matrix/client/v3/createRoom",
                    token,
                    {
                        "is_direct": True,
                        "preset": "trusted_private_chat",
                        "invite": [bot.user_id],
                        "initial_state": [ENCRYPTION],
                    },
                )
                room_id = created["room_id"]
                await api.call(
                    "POST", f"/_matrix/client/v3/join/{quote(room_id)}", bot.access_token, {}
                )
                population.direct[user_id] = room_id

        pool = [u for u in population.tokens if u not in population.direct][:TEAM_POOL]
        while len(pool) < TEAM_POOL:
            async with limit:
                pool.append((await person())[0])

        async def team(index: int) -> None:
            async with limit:
                members = random.sample(pool, random.randint(*team_size))
                owner, others = members[0], members[1:]
                created = await api.call(
                    "POST",
                    "/_matrix/client/v3/createRoom",
                    population.tokens[owner],
                    {
                        "name": f"Équipe {index}",
                        "preset": "private_chat",
                        "invite": [*others, bot.user_id],
                    },
                )
                room_id = created["room_id"]
                for user_id in others:
                    token = population.tokens[user_id]
                    await api.call("POST", f"/_matrix/client/v3/join/{quote(room_id)}", token, {})
                await api.call(
                    "POST", f"/_matrix/client/v3/join/{quote(room_id)}", bot.access_token, {}
                )
                population.teams[room_id] = members

        missing = rooms - population.rooms
        if missing <= 0:
            return
        directs = max(0, (rooms + 1) // 2 - len(population.direct))
        teams = max(0, missing - directs)
        start = len(population.teams)
        await asyncio.gather(
            *(direct() for _ in range(directs)), *(team(start + i) for i in range(teams))
        )


async def new_device(server: Homeserver, account: Account) -> Account:
    """Another device (and token) of an account: a bot with a fresh crypto store needs one."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        body = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": account.user_id},
            "password": account.password,
        }
        async with http.post(f"{server.url}/_matrix/client/v3/login", json=body) as response:
            data = await response.json()
            if response.status != 200:
                raise RuntimeError(f"login of {account.user_id} failed: {data}")
    return Account(account.user_id, account.password, data["access_token"], data["device_id"])


class _Api:
    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url

    async def call(self, method: str, path: str, token: str, body: dict[str, Any]) -> Any:
        headers = {"Authorization": f"Bearer {token}"}
        for _attempt in range(8):
            async with self.http.request(
                method, self.url + path, json=body, headers=headers
            ) as response:
                data = await response.json(content_type=None)
                if response.status == 429:
                    await asyncio.sleep((data or {}).get("retry_after_ms", 500) / 1000)
                    continue
                if response.status >= 400:
                    raise RuntimeError(f"{method} {path} → {response.status}: {data}")
                return data
        raise RuntimeError(f"{method} {path}: still rate limited")
