"""Opening the bot's Matrix session: one login, kept; whoami; the device fingerprint logged.

With MATRIX_PASSWORD the bot logs in once and keeps the access token and device id under
MATRIX_STORE_PATH (next to the crypto store, which belongs to that device). With
MATRIX_ACCESS_TOKEN + MATRIX_DEVICE_ID nothing is saved: the environment is the source.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import aiohttp
from nio import AsyncClient, AsyncClientConfig, ErrorResponse, LoginResponse, WhoamiResponse

from bot.config import Settings
from bot.transport.matrix_retry import (
    EXPIRED_ACCOUNT,
    UNKNOWN_TOKEN,
    Backoff,
)
from bot.transport.matrix_session import (
    Credentials,
    forget_credentials,
    load_credentials,
    save_credentials,
)
from bot.transport.matrix_store import BotStore
from bot.transport.matrix_text import fingerprint

log = logging.getLogger(__name__)
T = TypeVar("T")

DEVICE_NAME = "Bureau Volant"
CONNECT_ATTEMPTS = 6  # about 30 s of retries when the homeserver is not up yet
# nio retries a timed-out request this many times before raising; our own loops (sync, sends)
# then retry with backoff and can tell the health check and the metrics about it.
NIO_MAX_TIMEOUTS = 2
REQUEST_TIMEOUT_S = 60.0
CONNECTION_ERRORS = (aiohttp.ClientError, TimeoutError, OSError)


class MatrixSessionError(Exception):
    """The homeserver refuses the bot's account or token: a person has to act."""


def http_status(response: ErrorResponse) -> int | None:
    """The HTTP status of a failed nio response, when there was one."""
    transport = getattr(response, "transport_response", None)
    return getattr(transport, "status", None)


def explain_refusal(response: ErrorResponse) -> str:
    """One clear line for the refusals a person must act on."""
    if response.status_code == EXPIRED_ACCOUNT:
        return (
            "the bot's Matrix account has expired (403 ORG_MATRIX_EXPIRED_ACCOUNT): renew it "
            "(Tchap sends a renewal e-mail to the account's address) and restart the bot"
        )
    if response.status_code == UNKNOWN_TOKEN:
        return (
            "the homeserver no longer accepts the bot's access token (M_UNKNOWN_TOKEN): "
            "give a new MATRIX_ACCESS_TOKEN, or use MATRIX_PASSWORD to log in again"
        )
    return f"the homeserver refused the bot's session: {response}"


async def open_client(settings: Settings, *, cross_sign: bool = True) -> AsyncClient:
    """A logged-in client with its crypto store loaded and its keys uploaded (and its device
    cross-signed, unless `cross_sign` is false: `bureau-volant crypto` does it itself).

    Raises `MatrixSessionError` when the homeserver refuses the login, and the connection error
    when the homeserver cannot be reached after a few attempts.
    """
    assert settings.matrix_homeserver and settings.matrix_user_id
    store = _store_directory(settings)
    homeserver = settings.matrix_homeserver.rstrip("/")
    credentials, saved = _known_credentials(settings, store, homeserver)
    client = _new_client(homeserver, settings.matrix_user_id, store, credentials)
    try:
        if credentials is None:
            credentials = await _login(client, settings, store, homeserver)
        else:
            client.restore_login(
                credentials.user_id, credentials.device_id, credentials.access_token
            )
        whoami = await _with_retries(client.whoami)
        if (
            isinstance(whoami, ErrorResponse)
            and whoami.status_code == UNKNOWN_TOKEN
            and saved
            and settings.matrix_password
        ):
            # The saved token was revoked (logout elsewhere): log in again, with a new device.
            log.warning("the saved Matrix login was revoked: logging in again")
            forget_credentials(store)
            await client.close()
            client = _new_client(homeserver, settings.matrix_user_id, store, None)
            credentials = await _login(client, settings, store, homeserver)
            whoami = await _with_retries(client.whoami)
        if not isinstance(whoami, WhoamiResponse):
            raise MatrixSessionError(explain_refusal(whoami))
        if whoami.user_id != settings.matrix_user_id:
            raise MatrixSessionError(
                f"the access token belongs to {whoami.user_id}, not MATRIX_USER_ID "
                f"{settings.matrix_user_id}"
            )
        if client.olm is None:
            raise MatrixSessionError("the end-to-end encryption store could not be loaded")
        if client.should_upload_keys:
            await _with_retries(client.keys_upload)
        if cross_sign:
            await _cross_sign(client, settings, store)
        ed25519 = client.olm.account.identity_keys["ed25519"]
        log.info(
            "logged in as %s, device %s; device fingerprint (ed25519) to verify it: %s",
            whoami.user_id,
            client.device_id,
            fingerprint(ed25519),
        )
        return client
    except BaseException:
        await client.close()
        raise


async def _cross_sign(client: AsyncClient, settings: Settings, store: Path) -> None:
    """Cross-signing keys created on the first start, this device signed (a start refused when
    the account's keys cannot be used: `bureau-volant crypto reset` says how)."""
    from bot.transport.matrix_crosssign import CrossSigningError, cross_signing_for

    try:
        master = await _with_retries(cross_signing_for(client, settings, store).ensure)
    except CrossSigningError as error:
        raise MatrixSessionError(f"cross-signing: {error}") from error
    log.info("bot identity (cross-signing master key) to verify it: %s", fingerprint(master))


def _store_directory(settings: Settings) -> Path:
    """MATRIX_STORE_PATH, created readable by the bot's user only (it holds keys and a token)."""
    store = Path(settings.matrix_store_path)
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    return store


def _known_credentials(
    settings: Settings, store: Path, homeserver: str
) -> tuple[Credentials | None, bool]:
    """The login to restore (and whether it was saved by us), or None to log in."""
    assert settings.matrix_user_id
    if settings.matrix_access_token:
        assert settings.matrix_device_id
        token = Credentials(
            homeserver,
            settings.matrix_user_id,
            settings.matrix_device_id,
            settings.matrix_access_token,
        )
        return token, False
    saved = load_credentials(store, homeserver, settings.matrix_user_id)
    return saved, saved is not None


def _new_client(
    homeserver: str, user_id: str, store: Path, credentials: Credentials | None
) -> AsyncClient:
    config = AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=False,  # the transport saves the position itself, after handling
        max_timeouts=NIO_MAX_TIMEOUTS,
        request_timeout=REQUEST_TIMEOUT_S,
        store=BotStore,  # nio's store, with trust checks in constant time (matrix_store)
    )
    return AsyncClient(
        homeserver,
        user_id,
        device_id=credentials.device_id if credentials else None,
        store_path=str(store),
        config=config,
    )


async def _login(
    client: AsyncClient, settings: Settings, store: Path, homeserver: str
) -> Credentials:
    assert settings.matrix_password and settings.matrix_user_id
    response = await _with_retries(
        lambda: client.login(settings.matrix_password, device_name=DEVICE_NAME)
    )
    if not isinstance(response, LoginResponse):
        raise MatrixSessionError(f"login as {settings.matrix_user_id} refused: {response}")
    credentials = Credentials(
        homeserver, response.user_id, response.device_id, response.access_token
    )
    save_credentials(store, credentials)
    log.info("logged in with the password; new device %s saved", response.device_id)
    return credentials


async def _with_retries(request: Callable[[], Awaitable[T]]) -> T:
    """Run a start-up request, retrying while the homeserver cannot be reached."""
    backoff = Backoff(initial=1.0, cap=10.0)
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            return await request()
        except CONNECTION_ERRORS as error:
            if attempt == CONNECT_ATTEMPTS:
                raise
            delay = backoff.next_delay()
            log.warning("homeserver unreachable (%s): retrying in %.0f s", error, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
