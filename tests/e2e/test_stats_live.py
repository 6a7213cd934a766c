"""A manager asks for statistics in an encrypted room on a real Synapse and gets the chart as an
encrypted `m.image` and the CSV as an encrypted `m.file`, which a real matrix-nio client downloads
and decrypts: the homeserver only holds ciphertext.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from nio import AsyncClient, DownloadResponse
from nio.crypto.attachments import decrypt_attachment

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.transport.matrix import MatrixTransport
from storage import SettableClock, Slot
from tests.e2e.homeserver import Account, Homeserver
from tests.e2e.matrix_user import NewUser
from tests.e2e.transport_helpers import running
from tests.helpers import open_test_storage

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]
PARIS = ZoneInfo("Europe/Paris")


async def test_chart_and_csv_arrive_as_encrypted_attachments(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    manager = await new_user(homeserver, "chef")
    clock = SettableClock(datetime(2026, 11, 2, 8, 0, tzinfo=PARIS))
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with open_test_storage(url, clock) as storage:
        await storage.import_sites(
            f"sites:\n  - name: Metz\n    department: '57'\n"
            f"    managers: ['{manager.user_id}']\n    desks: [A, B]\n"
        )
        await storage.ensure_member("@agent:test")
        await storage.reserve("@agent:test", "Metz", [datetime(2026, 11, 9).date()], Slot.DAY)
        clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=PARIS))
        settings = Settings(
            database_url=url,
            matrix_homeserver=homeserver.url,
            matrix_user_id=bot_account.user_id,
            matrix_access_token=bot_account.access_token,
            matrix_device_id=bot_account.device_id,
            matrix_store_path=tmp_path / "store",
            allowed_servers=frozenset({homeserver.server_name}),
        )
        dispatcher = Dispatcher(storage, settings, clock)
        async with running(settings, dispatcher, storage) as transport:
            assert isinstance(transport, MatrixTransport)
            room = await manager.create_room([bot_account.user_id], encrypted=True, direct=True)
            await manager.wait_for_join(room, bot_account.user_id)
            command = await manager.send_text(room, "stats de Metz en novembre")
            text = await manager.wait_for_reply(command, within=60)
            assert text.decrypted and "Occupation de Metz" in text.body

            def media() -> list:
                return [
                    s
                    for s in manager.seen
                    if s.room_id == room and s.msgtype in ("m.image", "m.file")
                ]

            await manager.wait_until(lambda: len(media()) == 2, 60, "the chart and the CSV")
            image, table = sorted(media(), key=lambda s: s.msgtype != "m.image")
            assert image.decrypted and table.decrypted
            for seen in (image, table):
                assert "url" not in seen.content  # only the encrypted `file` object
                assert seen.content["file"]["url"].startswith("mxc://")
            png = await _download_and_decrypt(manager.client, image.content["file"])
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            assert image.content["info"]["mimetype"] == "image/png"
            assert image.content["info"]["w"] == 880
            data = await _download_and_decrypt(manager.client, table.content["file"])
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
            nov9 = next(r for r in rows if r["day"] == "2026-11-09")
            assert (nov9["booked_half_days"], nov9["available_half_days"]) == ("2", "4")


async def _download_and_decrypt(client: AsyncClient, file: dict[str, Any]) -> bytes:
    response = await client.download(file["url"])
    assert isinstance(response, DownloadResponse), response
    ciphertext = response.body
    plain = decrypt_attachment(ciphertext, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
    assert plain != ciphertext
    return plain
