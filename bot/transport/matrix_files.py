"""Attachments on Matrix: upload a reply's files and build their `m.image` / `m.file` content.

In an encrypted room the file is encrypted on the client (`upload(..., encrypt=True)`) and the
content carries the `file` object (mxc URL, key, iv, hashes) instead of `url`, as the spec asks:
the homeserver only ever stores ciphertext. Uploads are retried a few times when the homeserver
is busy; a file that cannot be uploaded raises `DeliveryError` (the text was already sent).
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

from nio import AsyncClient, UploadResponse

from bot.messages import Attachment
from bot.transport.matrix_client import CONNECTION_ERRORS
from bot.transport.matrix_sender import DeliveryError

log = logging.getLogger(__name__)

UPLOAD_ATTEMPTS = 4


async def upload(client: AsyncClient, attachment: Attachment, encrypt: bool) -> dict[str, Any]:
    """Upload the file and return the message content that shows it."""
    problem = "not attempted"
    for attempt in range(1, UPLOAD_ATTEMPTS + 1):
        try:
            response, keys = await client.upload(
                io.BytesIO(attachment.data),
                content_type=attachment.mimetype,
                filename=attachment.filename,
                encrypt=encrypt,
                filesize=len(attachment.data),
            )
        except CONNECTION_ERRORS as error:
            problem = str(error) or type(error).__name__
        else:
            if isinstance(response, UploadResponse):
                return attachment_content(attachment, response.content_uri, keys)
            problem = str(response)
        if attempt < UPLOAD_ATTEMPTS:
            log.warning(
                "upload of %s failed (%s): retry %d", attachment.filename, problem, attempt
            )
            await asyncio.sleep(0.5 * 2**attempt)
    raise DeliveryError(f"could not upload {attachment.filename}: {problem}")


def attachment_content(
    attachment: Attachment, mxc: str, keys: dict[str, Any] | None
) -> dict[str, Any]:
    """The `m.image` / `m.file` content for an uploaded file (`keys` when it was encrypted)."""
    info: dict[str, Any] = {"mimetype": attachment.mimetype, "size": len(attachment.data)}
    if attachment.width and attachment.height:
        info["w"], info["h"] = attachment.width, attachment.height
    content: dict[str, Any] = {
        "msgtype": "m.image" if attachment.kind == "image" else "m.file",
        "body": attachment.filename,
        "filename": attachment.filename,
        "info": info,
    }
    if keys is not None:
        content["file"] = {"url": mxc, **keys}
    else:
        content["url"] = mxc
    return content


def is_encrypted(client: AsyncClient, room_id: str) -> bool:
    room = client.rooms.get(room_id)
    return bool(room is not None and room.encrypted)
