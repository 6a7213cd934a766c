"""Fixtures for end-to-end tests against a real Synapse (skipped when TEST_SYNAPSE_URL is unset).

`make test` starts the shared Synapse (scripts/with-services.sh --synapse). Users are registered
through the shared-secret admin API; every client, bot process and extra homeserver started here
is stopped in a `finally`, whatever the test's outcome.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.e2e.bot_process import BotProcess, prepare_database
from tests.e2e.homeserver import Account, Homeserver, SynapseInstance, register, unique_name
from tests.e2e.matrix_user import MatrixUser, NewUser


@pytest.fixture(scope="session")
def homeserver() -> Homeserver:
    server = Homeserver.from_env()
    if server is None:
        pytest.skip("needs a real Synapse: TEST_SYNAPSE_URL is unset (make test)")
    return server


@pytest.fixture
async def new_user(tmp_path: Path) -> AsyncIterator[NewUser]:
    """`await new_user(homeserver, "alice")`: a registered, syncing user (closed at the end)."""
    async with contextlib.AsyncExitStack() as stack:

        async def make(
            server: Homeserver, prefix: str = "user", admin: bool = False
        ) -> MatrixUser:
            account = await register(server, unique_name(prefix), admin=admin)
            store = tmp_path / "users" / account.user_id.strip("@").replace(":", "_")
            return await stack.enter_async_context(MatrixUser(server.url, account, store))

        yield make


@pytest.fixture
async def bot_account(homeserver: Homeserver) -> Account:
    return await register(homeserver, unique_name("bureau"))


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A SQLite database at the schema head with the example sites (as a deployment does)."""
    return prepare_database(tmp_path / "bot.sqlite3")


@pytest.fixture
def bot_processes() -> Iterator[list[BotProcess]]:
    """Bot processes registered here are stopped at the end of the test, whatever happens."""
    processes: list[BotProcess] = []
    try:
        yield processes
    finally:
        for process in processes:
            process.stop()


@pytest.fixture
def private_synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseInstance]:
    """A Synapse of the test's own, which it may stop and start again (data kept)."""
    instance = SynapseInstance(tmp_path_factory.mktemp("synapse"))
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()


@pytest.fixture
def strict_synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseInstance]:
    """A Synapse that allows one message every two seconds per user (burst 2)."""
    instance = SynapseInstance(tmp_path_factory.mktemp("synapse-strict"), strict_rate_limits=True)
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()
