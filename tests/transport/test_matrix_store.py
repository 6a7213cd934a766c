"""The bot's crypto store (`matrix_store`) on real nio stores on disk (no server): it reads what
nio's own store wrote the same way, its trust files stay nio's format, and sessions read on
demand and dropped when idle come back intact."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest
from nio import AsyncClient, AsyncClientConfig
from nio.crypto import (
    InboundGroupSession,
    OlmAccount,
    OlmDevice,
    OutboundGroupSession,
    OutboundSession,
    TrustState,
)
from nio.exceptions import OlmTrustError
from nio.store import DefaultStore
from nio.store.file_trustdb import Ed25519Key, KeyStore

from bot.transport.matrix_crypto import (
    crypto_memory,
    forget_idle_outbound,
    forget_idle_sessions,
    prune_megolm_sessions,
)
from bot.transport.matrix_store import (
    BotStore,
    IndexedDeviceStore,
    IndexedKeyStore,
    LazyDeviceStore,
    LazyGroupSessionStore,
    LazySessionStore,
)

USER = "@bot:example.org"
ROOM = "!room:example.org"


def client_with(path: Path, store: type[DefaultStore]) -> AsyncClient:
    client = AsyncClient(
        "http://127.0.0.1:9",
        USER,
        device_id="BOTDEVICE",
        store_path=str(path),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False, store=store),
    )
    client.restore_login(USER, "BOTDEVICE", "token")
    return client


def device(user: str, device_id: str, n: int) -> OlmDevice:
    return OlmDevice(
        user, device_id, {"ed25519": f"ed{n:040d}", "curve25519": f"cu{n:040d}"}, "Element"
    )


def write_with_nio(path: Path) -> tuple[str, str]:
    """Devices of each trust state, an Olm session and a forwarded Megolm session, written by
    nio's own store; returns (the Olm session's sender key and id)."""
    client = client_with(path, DefaultStore)
    assert client.olm is not None and client.store is not None
    devices = [device(f"@u{n}:example.org", f"D{n}", n) for n in range(6)]
    devices.append(device("@u0:example.org", "D0b", 99))  # a second device of @u0
    client.store.save_device_keys({d.user_id: {d.id: d} for d in devices[:-1]})
    client.store.save_device_keys({"@u0:example.org": {"D0b": devices[-1]}})
    client.store.verify_device(devices[0])
    client.store.blacklist_device(devices[1])
    client.store.ignore_devices(devices[2:5])
    other = OlmAccount()
    other.generate_one_time_keys(1)
    otk = next(iter(other.one_time_keys["curve25519"].values()))
    curve = other.identity_keys["curve25519"]
    session = OutboundSession(client.olm.account, curve, otk)
    client.store.save_session(curve, session)
    outbound = OutboundGroupSession()
    inbound = InboundGroupSession(outbound.session_key, "ed", "senderkey", ROOM, ["chain1"])
    client.store.save_inbound_group_session(inbound)
    client.store.save_encrypted_rooms([ROOM, "!dm:example.org"])
    client.store.database.close()
    return curve, session.id


USERS = [f"@u{n}:example.org" for n in range(6)]


def state_of(client: AsyncClient) -> dict[tuple[str, str], tuple[TrustState, str]]:
    """Every device of USERS, asked for per user as nio does."""
    assert client.olm is not None
    store = client.olm.device_store
    return {
        (d.user_id, d.id): (d.trust_state, d.ed25519)
        for user in USERS
        for d in store.active_user_devices(user)
    }


def test_the_bot_store_reads_what_nio_wrote_the_same_way(tmp_path: Path) -> None:
    curve, session_id = write_with_nio(tmp_path)
    by_nio = client_with(tmp_path, DefaultStore)
    expected = state_of(by_nio)
    by_nio.store.database.close()
    assert len(expected) == 7
    ours = client_with(tmp_path, BotStore)
    assert ours.olm is not None
    assert ours.encrypted_rooms == by_nio.encrypted_rooms == {ROOM, "!dm:example.org"}
    assert isinstance(ours.olm.device_store, LazyDeviceStore)
    assert crypto_memory(ours)["devices"] == 0  # read per user, when needed
    assert state_of(ours) == expected
    assert crypto_memory(ours)["devices"] == 7
    assert ours.olm.device_store["@nobody:example.org"] == {}
    assert ours.store is not None
    everything = ours.store.load_all_device_keys()
    assert {(d.user_id, d.id): (d.trust_state, d.ed25519) for d in everything} == expected
    trust = {k: v[0] for k, v in expected.items()}
    assert trust[("@u0:example.org", "D0")] == TrustState.verified
    assert trust[("@u1:example.org", "D1")] == TrustState.blacklisted
    assert trust[("@u3:example.org", "D3")] == TrustState.ignored
    assert trust[("@u5:example.org", "D5")] == TrustState.unset
    # Sessions are not in memory at start; asked for, they are read from the store.
    assert isinstance(ours.olm.session_store, LazySessionStore)
    assert crypto_memory(ours)["olm_sessions"] == 0
    assert crypto_memory(ours)["megolm_sessions"] == 0
    session = ours.olm.session_store.get(curve)
    assert session is not None and session.id == session_id
    assert ours.olm.session_store.get("unknown-key") is None
    store = ours.olm.inbound_group_store
    assert isinstance(store, LazyGroupSessionStore)
    [wanted] = list(store)  # iterating (nio's key export) sees the sessions on disk too
    found = store.get(ROOM, "senderkey", wanted.id)
    assert found is not None and found.forwarding_chain == ["chain1"]
    assert store.get("!other:example.org", "senderkey", wanted.id) is None
    assert crypto_memory(ours)["megolm_sessions"] == 1


def test_nio_reads_what_the_bot_store_wrote(tmp_path: Path) -> None:
    ours = client_with(tmp_path, BotStore)
    assert ours.store is not None
    devices = [device(f"@u{n}:example.org", f"D{n}", n) for n in range(3)]
    ours.store.save_device_keys({d.user_id: {d.id: d} for d in devices})
    ours.store.ignore_devices(devices[:2])
    ours.store.verify_device(devices[2])
    ours.store.database.close()
    by_nio = client_with(tmp_path, DefaultStore)
    trust = {k: v[0] for k, v in state_of(by_nio).items()}
    assert trust == {
        ("@u0:example.org", "D0"): TrustState.ignored,
        ("@u1:example.org", "D1"): TrustState.ignored,
        ("@u2:example.org", "D2"): TrustState.verified,
    }


def test_trust_files_keep_nio_s_format_and_survive_a_torn_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ignored"
    keys = IndexedKeyStore(str(path), append=True)
    a = Ed25519Key("@a:x", "DA", "keyA")
    b = Ed25519Key("@b:x", "DB", "keyB")
    keys.add(a)
    keys.add_many([a, b])  # `a` again: not written twice
    assert path.read_text().count("\n") == 2
    assert a in keys and Ed25519Key("@a:x", "DA", "other") not in keys
    assert [(k.user_id, k.key) for k in KeyStore(str(path))] == [
        ("@a:x", "keyA"),
        ("@b:x", "keyB"),
    ]
    with pytest.raises(OlmTrustError):
        keys.add(Ed25519Key("@a:x", "DA", "changed"))  # a new fingerprint for a known device
    with path.open("a") as f:
        f.write("@c:x DC matrix-ed25519 keyC-but-the-wri")  # a crash mid-append
    again = IndexedKeyStore(str(path), append=True)
    assert len(again) == 2 and again.get_key("@c:x", "DC") is None
    assert "torn last line" in caplog.text
    again.add(Ed25519Key("@c:x", "DC", "keyC"))  # asked again, written whole
    assert IndexedKeyStore(str(path)).get_key("@c:x", "DC") is not None
    assert again.remove(a) and not again.remove(a)
    again.remove_many([b])
    assert [k.user_id for k in KeyStore(str(path))] == ["@c:x"]


def test_the_device_store_finds_a_device_as_nio_s_does() -> None:
    store = IndexedDeviceStore()
    first = device("@a:x", "DA", 1)
    assert store.add(first)
    assert not store.add(device("@a:x", "DA", 1))  # equal: already there
    assert device("@a:x", "DA", 1) in store
    assert device("@a:x", "DA", 2) not in store  # same ids, other keys
    assert device("@b:x", "DA", 1) not in store
    assert "not a device" not in store
    assert len(list(store)) == 1


def test_idle_sessions_leave_memory_and_are_read_again(tmp_path: Path) -> None:
    curve, session_id = write_with_nio(tmp_path)
    client = client_with(tmp_path, BotStore)
    assert client.olm is not None
    olm_session = client.olm.session_store.get(curve)
    assert olm_session is not None
    [megolm] = list(client.olm.inbound_group_store)
    assert client.olm.inbound_group_store.get(ROOM, "senderkey", megolm.id) is not None
    devices = client.olm.device_store
    assert len(devices["@u0:example.org"]) == 2 and len(devices["@u1:example.org"]) == 1
    assert forget_idle_sessions(client, idle_s=3600) == (0, 0, 0)  # just read: kept
    client.olm.session_store._entries.loaded_at[curve] -= 7200
    assert forget_idle_sessions(client, idle_s=3600) == (0, 0, 0)  # used recently: kept
    olm_session.use_time -= timedelta(hours=2)
    client.olm.inbound_group_store._entries.loaded_at[ROOM] -= 7200
    for user in ("@u0:example.org", "@u1:example.org"):
        devices._entries.loaded_at[user] -= 7200
    client.olm.wedged_devices.append(devices["@u1:example.org"]["D1"])  # nio holds it: kept
    assert forget_idle_sessions(client, idle_s=3600) == (1, 1, 1)
    assert crypto_memory(client)["olm_sessions"] == 0
    assert crypto_memory(client)["megolm_sessions"] == 0
    assert crypto_memory(client)["devices"] == 1
    session = client.olm.session_store.get(curve)
    assert session is not None and session.id == session_id
    assert client.olm.inbound_group_store.get(ROOM, "senderkey", megolm.id) is not None
    assert devices["@u0:example.org"]["D0"].trust_state == TrustState.verified


async def test_sessions_only_on_disk_are_pruned_after_the_retention(tmp_path: Path) -> None:
    write_with_nio(tmp_path)
    client = client_with(tmp_path, BotStore)
    assert client.store is not None
    seen = sqlite3.connect(tmp_path / "seen.sqlite3", isolation_level=None)
    assert prune_megolm_sessions(client, seen, max_age_s=3600) == 0  # noted, never read
    assert crypto_memory(client)["megolm_sessions"] == 0
    seen.execute("UPDATE megolm_seen SET seen = seen - 7200")
    assert prune_megolm_sessions(client, seen, max_age_s=3600) == 1
    assert list(client.olm.inbound_group_store) == []  # type: ignore[union-attr]
    await client.close()


def test_outgoing_sessions_of_rooms_not_written_to_for_an_hour_are_dropped(
    tmp_path: Path,
) -> None:
    client = client_with(tmp_path, BotStore)
    assert client.olm is not None
    for room in ("!busy:x", "!idle:x", "!unknown:x"):
        client.olm.create_outbound_group_session(room)
    now = time.monotonic()
    last_sent = {"!busy:x": now - 60, "!idle:x": now - 7200, "!gone:x": now - 9000}
    assert forget_idle_outbound(client, last_sent, idle_s=3600) == 2
    assert set(client.olm.outbound_group_sessions) == {"!busy:x"}
    assert last_sent == {"!busy:x": now - 60}
    assert crypto_memory(client)["outbound_sessions"] == 1
