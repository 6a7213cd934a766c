"""The real bot and an Element-engine client (matrix-js-sdk, Rust crypto) on the real Synapse.

The client excludes insecure devices (`OnlySignedDevicesIsolationMode`, MSC4153): it shares its
room keys only with cross-signed devices and decrypts only messages from them. Without the bot's
cross-signing it withholds its keys (the bot never answers) and shows every reply with a red
`UNSIGNED_DEVICE` shield.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.bot_process import BotProcess, start_bot
from tests.e2e.element_client import run_element_client
from tests.e2e.homeserver import Account, Homeserver, register, unique_name

pytestmark = pytest.mark.e2e

BOOKING = "réserve un bureau à Metz mardi"


def assert_answered_by_a_signed_device(result: dict[str, Any], bot_device: str) -> None:
    assert result["ok"], result.get("error") or result.get("stderr")
    for reply in result["replies"]:
        assert reply.get("body"), reply
        assert reply["decrypted"], reply
        assert reply["sender_device"] == bot_device
        # Element's shield: none (not red "Encrypted by a device not verified by its owner").
        assert (reply["shield_colour"], reply["shield_reason"]) == ("NONE", None), reply
    assert result["bot_devices"][bot_device]["signed_by_owner"] is True


async def test_an_element_client_that_excludes_insecure_devices_talks_with_the_bot(
    homeserver: Homeserver,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    bot = start_bot(bot_processes, homeserver, bot_account, database_url, tmp_path / "bot")
    alice = await register(homeserver, unique_name("alice"))
    result = await asyncio.to_thread(
        run_element_client, homeserver, alice, bot_account.user_id, ["aide", BOOKING]
    )
    assert result["own_cross_signing_ready"], result  # the client is cross-signed itself
    assert_answered_by_a_signed_device(result, bot_account.device_id)
    help_reply, booking_reply = (r["body"] for r in result["replies"])
    assert "réserve" in help_reply.lower()
    assert "Metz" in booking_reply
    assert "cross-signing keys created" in bot.log()


async def test_a_restarted_bot_and_a_second_device_stay_cross_signed(
    homeserver: Homeserver,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    first = start_bot(
        bot_processes, homeserver, bot_account, database_url, tmp_path / "a", use_password=True
    )
    first.stop()
    first.start()  # same store: the same device, still signed, no new keys
    assert first.log().count("cross-signing keys created") == 1
    store = tmp_path / "a" / "matrix"
    recovery_key = (store / "cross_signing_key").read_text().strip()
    # A second instance (its own store, a new login) without the recovery key refuses to start.
    with pytest.raises(RuntimeError, match="crypto reset"):
        start_bot(
            bot_processes, homeserver, bot_account, database_url, tmp_path / "b", use_password=True
        )
    second = start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "c",
        use_password=True,
        extra_env={"MATRIX_CROSS_SIGNING_KEY": recovery_key},
    )
    devices = [device_of(store), device_of(tmp_path / "c" / "matrix")]
    assert devices[0] != devices[1]
    assert "signed with the bot's self-signing key" in second.log()

    # What another user's client sees: both devices signed by the bot's owner (js-sdk), and the
    # signatures valid for the master key, checked with vodozemac on /keys/query.
    alice = await register(homeserver, unique_name("alice"))
    result = await asyncio.to_thread(
        run_element_client, homeserver, alice, bot_account.user_id, ["aide"]
    )
    assert result["ok"], result.get("error") or result.get("stderr")
    for device in devices:
        assert result["bot_devices"][device]["signed_by_owner"] is True, result["bot_devices"]
    assert result["replies"][0]["decrypted"]
    assert result["replies"][0]["shield_colour"] == "NONE"
    await assert_signed_on_the_server(homeserver, alice, bot_account.user_id, devices)


async def test_withheld_keys_get_a_plain_answer_once(
    homeserver: Homeserver,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    """A client that sends only to *verified* devices withholds its key (m.unverified) from the
    bot, which the user has not verified: the bot says why it cannot read, once per room."""
    bot = start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        extra_env={"MATRIX_KEY_WAIT_SECONDS": "2"},
    )
    alice = await register(homeserver, unique_name("alice"))
    result = await asyncio.to_thread(
        run_element_client,
        homeserver,
        alice,
        bot_account.user_id,
        ["aide", "mes réservations"],
        isolation="all",
        blacklist_unverified=True,
        reply_timeout_s=15,
    )
    assert result["ok"], result.get("error") or result.get("stderr")
    first, second = result["replies"]
    assert first["decrypted"] and "pas pu lire votre message" in first["body"], first
    assert "appareils vérifiés" in first["body"]
    assert second["body"] is None and "timed out" in second["error"]  # rate-limited: once
    metrics = bot.metrics()
    assert 'bureau_volant_withheld_room_keys_total{code="m.unverified"}' in metrics
    assert metric_value(metrics, "bureau_volant_undecryptable_events_total", "m.unverified") >= 2


def device_of(store: Path) -> str:
    return str(json.loads((store / "credentials.json").read_text())["device_id"])


def metric_value(text: str, name: str, reason: str) -> float:
    prefix = f'{name}{{reason="{reason}"}} '
    return sum(float(line[len(prefix) :]) for line in text.splitlines() if line.startswith(prefix))


async def assert_signed_on_the_server(
    homeserver: Homeserver, viewer: Account, user_id: str, devices: list[str]
) -> None:
    """Verify the cross-signing chain from /keys/query, with vodozemac (not the bot's code)."""
    from canonicaljson import encode_canonical_json
    from vodozemac import Ed25519PublicKey, Ed25519Signature

    headers = {"Authorization": f"Bearer {viewer.access_token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{homeserver.url}/_matrix/client/v3/keys/query",
            json={"device_keys": {user_id: []}},
            headers=headers,
        ) as response,
    ):
        data = await response.json()

    def verify(obj: dict[str, Any], key: str) -> None:
        signature = obj["signatures"][user_id][f"ed25519:{key}"]
        unsigned = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
        Ed25519PublicKey.from_base64(key).verify_signature(
            encode_canonical_json(unsigned), Ed25519Signature.from_base64(signature)
        )

    master = next(iter(data["master_keys"][user_id]["keys"].values()))
    self_signing_key = data["self_signing_keys"][user_id]
    verify(self_signing_key, master)
    ssk = next(iter(self_signing_key["keys"].values()))
    for device in devices:
        verify(data["device_keys"][user_id][device], ssk)
