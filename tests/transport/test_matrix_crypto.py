"""Crypto upkeep on a real nio store (no server): tracked users kept, old sessions pruned."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig
from nio.crypto import InboundGroupSession, OutboundGroupSession

from bot.transport.matrix_crypto import (
    crypto_memory,
    prune_megolm_sessions,
    restore_tracked_users,
    save_new_tracked_users,
    save_tracked_users,
)

USER = "@bot:example.org"


def client_with_store(path: Path) -> AsyncClient:
    client = AsyncClient(
        "http://127.0.0.1:9",
        USER,
        device_id="BOTDEVICE",
        store_path=str(path),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
    )
    client.restore_login(USER, "BOTDEVICE", "token")  # loads (creates) the crypto store
    return client


async def test_tracked_users_survive_a_restart(tmp_path: Path) -> None:
    client = client_with_store(tmp_path)
    save_tracked_users(client, {"@a:example.org", "@b:example.org"})
    await client.close()
    again = client_with_store(tmp_path)
    assert again.olm is not None
    again.olm.users_for_key_query.update({"@a:example.org", "@c:example.org"})
    assert len(restore_tracked_users(again)) == 2
    assert again.olm.tracked_users >= {"@a:example.org", "@b:example.org"}
    assert again.olm.users_for_key_query == {"@c:example.org"}  # only the new one is queried
    saved = restore_tracked_users(again)
    again.olm.tracked_users.add("@c:example.org")  # nio's own key query answered
    assert save_new_tracked_users(again, saved) == 1
    assert save_new_tracked_users(again, saved) == 0
    await again.close()
    third = client_with_store(tmp_path)
    assert "@c:example.org" in restore_tracked_users(third)
    await third.close()


async def test_megolm_sessions_older_than_the_retention_are_deleted(tmp_path: Path) -> None:
    client = client_with_store(tmp_path)
    assert client.olm is not None and client.store is not None
    outbound = OutboundGroupSession()
    inbound = InboundGroupSession(
        outbound.session_key, "ed25519key", "curve25519key", "!room:example.org"
    )
    client.olm.inbound_group_store.add(inbound)
    client.store.save_inbound_group_session(inbound)
    seen = sqlite3.connect(tmp_path / "seen.sqlite3", isolation_level=None)
    assert prune_megolm_sessions(client, seen, max_age_s=3600) == 0  # noted, still young
    assert crypto_memory(client)["megolm_sessions"] == 1
    seen.execute("UPDATE megolm_seen SET seen = seen - 7200")
    assert prune_megolm_sessions(client, seen, max_age_s=3600) == 1
    assert crypto_memory(client)["megolm_sessions"] == 0
    assert len(list(client.store.load_inbound_group_sessions())) == 0
    await client.close()
