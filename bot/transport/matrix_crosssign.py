"""Cross-signing of the bot's own devices (matrix-nio has none: the spec's "Cross-signing").

Without it every reply of the bot carries Element's red shield (`UNSIGNED_DEVICE`), and a client
that excludes insecure devices (`OnlySignedDevicesIsolationMode`, MSC4153) withholds its room keys
from the bot and refuses to decrypt its replies.

The bot holds three Ed25519 keys (master, self-signing, user-signing; signed with PyCryptodome
over `canonicaljson`, the Matrix canonical JSON of matrix-org). PyCryptodome, not `cryptography`:
matrix-nio loads it anyway, and `cryptography` would add 6.5 MB to every start for three keys.
The master key is the bot's identity, which people verify once; the self-signing key signs each
of its devices (a re-login, a second instance), without a human.

Where the private keys live: in the account's own data on the homeserver (account data
`fr.bureau-volant.cross_signing`), encrypted with AES-256-GCM under a 32-byte key, the *recovery
key* (`MATRIX_CROSS_SIGNING_KEY`). The homeserver only ever sees ciphertext; every device of the
bot (another store directory, another machine) finds them there, so the recovery key is the one
secret to carry, like a recovery key in Element. Full SSSS (`m.secret_storage.*`) would let
Element read them too, but nothing but the bot needs them, and its format (key descriptions,
AES-CTR + HMAC, base58 recovery keys) is more code to get wrong. On a first start without a
recovery key in the environment, the bot generates one and keeps it in its store directory
(readable by its user only, next to the Olm account, which is as sensitive), and logs it once.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from canonicaljson import encode_canonical_json
from Crypto.Cipher import AES
from Crypto.PublicKey import ECC
from Crypto.PublicKey.ECC import EccKey
from Crypto.Signature import eddsa
from nio import AsyncClient

from bot.config import Settings

log = logging.getLogger(__name__)

ACCOUNT_DATA_TYPE = "fr.bureau-volant.cross_signing"
RECOVERY_KEY_FILE = "cross_signing_key"
USAGES = ("master", "self_signing", "user_signing")
GCM_TAG_BYTES = 16  # appended to the ciphertext (what `cryptography`'s AESGCM wrote before)
GCM_NONCE_BYTES = (8, 128)  # what it accepted (12 are written)
RESET_HINT = (
    "run `bureau-volant crypto reset` to create new cross-signing keys (people who verified the "
    "bot will have to verify it again)"
)

# The password for user-interactive auth, asked when the homeserver wants one.
PasswordSource = Callable[[], Awaitable[str | None]]


class CrossSigningError(Exception):
    """The bot's cross-signing cannot be used as it is: a person has to act (message says how)."""


# -- keys and signatures -------------------------------------------------------------------------


def unpadded_b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not (Matrix uses unpadded standard base64)."""
    text = text.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def public_key(private: EccKey) -> str:
    return unpadded_b64(private.public_key().export_key(format="raw"))


def sign_json(obj: dict[str, Any], user_id: str, key_id: str, private: EccKey) -> None:
    """Add `user_id`/`ed25519:key_id`'s signature to `obj` (the spec's "Signing JSON")."""
    unsigned = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    signature = eddsa.new(private, "rfc8032").sign(encode_canonical_json(unsigned))
    obj.setdefault("signatures", {}).setdefault(user_id, {})[f"ed25519:{key_id}"] = unpadded_b64(
        signature
    )


def has_valid_signature(obj: dict[str, Any], user_id: str, public: str) -> bool:
    """Whether `obj` carries a valid signature of `user_id` by the Ed25519 key `public`."""
    signature = obj.get("signatures", {}).get(user_id, {}).get(f"ed25519:{public}")
    if not signature:
        return False
    unsigned = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    try:
        verifier = eddsa.new(eddsa.import_public_key(b64decode(public)), "rfc8032")
        verifier.verify(encode_canonical_json(unsigned), b64decode(signature))
    except ValueError:  # a bad signature, or a malformed key or signature
        return False
    return True


def fingerprint(key: str) -> str:
    """A public key in groups of four characters, as Element shows it."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class CrossSigningKeys:
    """The bot's three private cross-signing keys (32-byte Ed25519 seeds)."""

    master: EccKey
    self_signing: EccKey
    user_signing: EccKey

    @classmethod
    def generate(cls) -> CrossSigningKeys:
        return cls(*(ECC.generate(curve="Ed25519") for _ in USAGES))

    @property
    def master_public(self) -> str:
        return public_key(self.master)

    @property
    def self_signing_public(self) -> str:
        return public_key(self.self_signing)

    def seeds(self) -> dict[str, str]:
        return {usage: unpadded_b64(getattr(self, usage).seed) for usage in USAGES}

    @classmethod
    def from_seeds(cls, seeds: dict[str, str]) -> CrossSigningKeys:
        # Ed25519 keys of 32-byte seeds (ValueError for another length)
        keys = [eddsa.import_private_key(b64decode(seeds[usage])) for usage in USAGES]
        return cls(*keys)

    def upload_body(self, user_id: str) -> dict[str, Any]:
        """The three public key objects for `/keys/device_signing/upload`, signed as required
        (the self-signing and user-signing keys by the master key)."""
        body: dict[str, Any] = {}
        master = self.master_public
        for usage in USAGES:
            public = public_key(getattr(self, usage))
            key: dict[str, Any] = {
                "user_id": user_id,
                "usage": [usage],
                "keys": {f"ed25519:{public}": public},
            }
            if usage != "master":
                sign_json(key, user_id, master, self.master)
            body[f"{usage}_key"] = key
        return body


# -- the recovery key and the encrypted copy --------------------------------------------------


def new_recovery_key() -> str:
    """32 random bytes, as unpadded base64 (what MATRIX_CROSS_SIGNING_KEY holds)."""
    return unpadded_b64(secrets.token_bytes(32))


def parse_recovery_key(text: str) -> bytes:
    try:
        key = b64decode(text.replace(" ", ""))
    except ValueError as error:
        raise CrossSigningError("MATRIX_CROSS_SIGNING_KEY is not base64") from error
    if len(key) != 32:
        raise CrossSigningError(
            f"MATRIX_CROSS_SIGNING_KEY must hold 32 bytes (43 base64 characters), not {len(key)}"
        )
    return key


def encrypt_keys(keys: CrossSigningKeys, recovery_key: str, user_id: str) -> dict[str, Any]:
    """The account-data content: the seeds under AES-256-GCM, bound to the user and master key."""
    nonce = secrets.token_bytes(12)
    aad = f"{user_id}|{keys.master_public}".encode()
    plaintext = json.dumps(keys.seeds()).encode()
    cipher = AES.new(parse_recovery_key(recovery_key), AES.MODE_GCM, nonce=nonce)
    cipher.update(aad)
    sealed, tag = cipher.encrypt_and_digest(plaintext)
    ciphertext = sealed + tag
    return {
        "version": 1,
        "algorithm": "A256GCM",
        "master_key": keys.master_public,
        "nonce": unpadded_b64(nonce),
        "ciphertext": unpadded_b64(ciphertext),
    }


def decrypt_keys(content: dict[str, Any], recovery_key: str, user_id: str) -> CrossSigningKeys:
    """The keys of an account-data content; CrossSigningError when the key does not open it."""
    key = parse_recovery_key(recovery_key)
    try:
        aad = f"{user_id}|{content['master_key']}".encode()
        nonce, ciphertext = b64decode(content["nonce"]), b64decode(content["ciphertext"])
        if len(ciphertext) < GCM_TAG_BYTES:
            raise ValueError("the ciphertext is shorter than its tag")
        if not GCM_NONCE_BYTES[0] <= len(nonce) <= GCM_NONCE_BYTES[1]:
            raise ValueError(f"a nonce of {len(nonce)} bytes")
        cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
        cipher.update(aad)
    except (KeyError, ValueError, TypeError) as error:
        raise _unreadable(error) from error
    sealed, tag = ciphertext[:-GCM_TAG_BYTES], ciphertext[-GCM_TAG_BYTES:]
    try:
        plaintext = cipher.decrypt_and_verify(sealed, tag)
    except ValueError as error:  # the tag does not match: another key, or altered content
        raise CrossSigningError(
            "MATRIX_CROSS_SIGNING_KEY does not open the bot's stored cross-signing keys (wrong "
            f"recovery key?): give the one printed by the bootstrap, or {RESET_HINT}"
        ) from error
    try:
        keys = CrossSigningKeys.from_seeds(json.loads(plaintext))
    except (KeyError, ValueError, TypeError) as error:
        raise _unreadable(error) from error
    if keys.master_public != content["master_key"]:
        raise CrossSigningError(f"the stored cross-signing keys are inconsistent: {RESET_HINT}")
    return keys


def _unreadable(error: Exception) -> CrossSigningError:
    return CrossSigningError(
        f"the bot's stored cross-signing keys are unreadable ({error!r}): {RESET_HINT}"
    )


def recovery_key_path(store_path: Path) -> Path:
    return store_path / RECOVERY_KEY_FILE


def load_stored_recovery_key(store_path: Path) -> str | None:
    try:
        return recovery_key_path(store_path).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def save_recovery_key(store_path: Path, recovery_key: str) -> None:
    store_path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = recovery_key_path(store_path)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(recovery_key + "\n")
    os.replace(tmp, path)


# -- the homeserver ----------------------------------------------------------------------------


class KeysApi:
    """The few client-server endpoints of cross-signing, with the bot's access token."""

    def __init__(self, homeserver: str, user_id: str, access_token: str) -> None:
        self.base = homeserver.rstrip("/") + "/_matrix/client/v3"
        self.user_id = user_id
        self._headers = {"Authorization": f"Bearer {access_token}"}

    async def _request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        timeout = aiohttp.ClientTimeout(total=60)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(method, self.base + path, json=body, headers=self._headers) as resp,
        ):
            try:
                data = await resp.json(content_type=None)
            except ValueError:
                data = {}
            return resp.status, data if isinstance(data, dict) else {}

    async def _checked(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        status, data = await self._request(method, path, body)
        if status != 200:
            raise CrossSigningError(f"{method} {path} refused ({status}): {data}")
        return data

    async def query_own(self) -> dict[str, Any]:
        """`/keys/query` for the bot's own user: master, self-signing keys and devices."""
        return await self._checked("POST", "/keys/query", {"device_keys": {self.user_id: []}})

    def _account_data_path(self) -> str:
        return f"/user/{quote(self.user_id)}/account_data/{ACCOUNT_DATA_TYPE}"

    async def stored_keys(self) -> dict[str, Any] | None:
        status, data = await self._request("GET", self._account_data_path())
        if status == 404:
            return None
        if status != 200:
            raise CrossSigningError(f"reading the stored cross-signing keys failed: {data}")
        return data or None

    async def store_keys(self, content: dict[str, Any]) -> None:
        await self._checked("PUT", self._account_data_path(), content)

    async def upload_cross_signing_keys(
        self, body: dict[str, Any], password: PasswordSource
    ) -> None:
        """`/keys/device_signing/upload`, with user-interactive auth when it is asked for.

        A first upload needs none (MSC3967, in Synapse); replacing keys needs the password.
        """
        path = "/keys/device_signing/upload"
        status, data = await self._request("POST", path, body)
        if status == 200:
            return
        if status != 401 or "flows" not in data:
            raise CrossSigningError(f"uploading the cross-signing keys failed ({status}): {data}")
        if not any(flow.get("stages") == ["m.login.password"] for flow in data["flows"]):
            raise CrossSigningError(
                f"the homeserver wants an authentication the bot cannot do: {data['flows']}"
            )
        secret = await password()
        if not secret:
            raise CrossSigningError(
                "the homeserver asks for the bot's password to replace its cross-signing keys: "
                "set MATRIX_PASSWORD, or run `bureau-volant crypto bootstrap` (it asks for it)"
            )
        auth = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": self.user_id},
            "password": secret,
            "session": data.get("session"),
        }
        status, data = await self._request("POST", path, {**body, "auth": auth})
        if status != 200:
            raise CrossSigningError(f"uploading the cross-signing keys failed ({status}): {data}")

    async def upload_signatures(self, signed: dict[str, dict[str, Any]]) -> None:
        data = await self._checked("POST", "/keys/signatures/upload", {self.user_id: signed})
        if data.get("failures"):
            raise CrossSigningError(f"the homeserver refused a signature: {data['failures']}")


# -- what the bot does at start and the CLI does -------------------------------------------------


@dataclass(frozen=True)
class ServerIdentity:
    """What `/keys/query` says of the bot's identity and of one of its devices."""

    master_key: str | None
    self_signing_key: str | None
    device_keys: dict[str, Any] | None

    @classmethod
    def from_query(cls, data: dict[str, Any], user_id: str, device_id: str) -> ServerIdentity:
        def first_key(section: str) -> str | None:
            keys = data.get(section, {}).get(user_id, {}).get("keys", {})
            return next(iter(keys.values()), None)

        device = data.get("device_keys", {}).get(user_id, {}).get(device_id)
        return cls(first_key("master_keys"), first_key("self_signing_keys"), device)

    def device_signed(self, user_id: str) -> bool:
        return (
            self.self_signing_key is not None
            and self.device_keys is not None
            and has_valid_signature(self.device_keys, user_id, self.self_signing_key)
        )


async def _no_password() -> str | None:
    return None


class CrossSigning:
    """Bootstrap, unlock and device signing for one device of the bot."""

    def __init__(
        self,
        api: KeysApi,
        device_id: str,
        store_path: Path,
        recovery_key: str | None,
        password: PasswordSource = _no_password,
    ) -> None:
        self.api = api
        self.user_id = api.user_id
        self.device_id = device_id
        self.store_path = store_path
        self.recovery_key = recovery_key
        self.password = password

    async def identity(self) -> ServerIdentity:
        return ServerIdentity.from_query(await self.api.query_own(), self.user_id, self.device_id)

    async def ensure(self) -> str:
        """Make sure the bot has cross-signing keys and that this device is signed.

        Creates the keys when the account has none; returns the master public key. Raises
        `CrossSigningError` (with what to do) when keys exist that the bot cannot use.
        """
        identity = await self.identity()
        if identity.master_key is None:
            keys = await self.create()
            # The device's keys are as queried; only the signing key is new (one request less).
            identity = ServerIdentity(
                keys.master_public, keys.self_signing_public, identity.device_keys
            )
        else:
            keys = await self.unlock(identity)
        if not identity.device_signed(self.user_id):
            await self.sign_device(keys, identity)
        return keys.master_public

    async def unlock(self, identity: ServerIdentity) -> CrossSigningKeys:
        """The private keys matching the server's public ones."""
        recovery_key = self.recovery_key or load_stored_recovery_key(self.store_path)
        if recovery_key is None:
            raise CrossSigningError(
                "the bot's account has cross-signing keys on the homeserver but "
                "MATRIX_CROSS_SIGNING_KEY is not set: give the recovery key printed by "
                f"`bureau-volant crypto bootstrap`, or {RESET_HINT}"
            )
        content = await self.api.stored_keys()
        if content is None:
            raise CrossSigningError(
                "the bot's account has cross-signing keys on the homeserver that it did not "
                f"create (or whose private part was deleted): {RESET_HINT}"
            )
        keys = decrypt_keys(content, recovery_key, self.user_id)
        if keys.master_public != identity.master_key or (
            identity.self_signing_key is not None
            and keys.self_signing_public != identity.self_signing_key
        ):
            raise CrossSigningError(
                "the bot's stored cross-signing keys are not those on the homeserver (they were "
                f"replaced by another client): {RESET_HINT}"
            )
        return keys

    async def create(self) -> CrossSigningKeys:
        """New keys, uploaded (replacing any on the server), then stored encrypted.

        In that order: a refused upload (wrong password) leaves the old keys and their stored
        copy as they were.
        """
        keys = CrossSigningKeys.generate()
        recovery_key = self.recovery_key or new_recovery_key()
        content = encrypt_keys(keys, recovery_key, self.user_id)
        await self.api.upload_cross_signing_keys(keys.upload_body(self.user_id), self.password)
        await self.api.store_keys(content)
        if self.recovery_key is None:
            save_recovery_key(self.store_path, recovery_key)
            log.warning(
                "new cross-signing recovery key, kept in %s; copy it to MATRIX_CROSS_SIGNING_KEY "
                "for the bot's other devices and keep it safe like a recovery key: %s",
                recovery_key_path(self.store_path),
                recovery_key,
            )
        self.recovery_key = recovery_key
        log.info("cross-signing keys created; master key %s", fingerprint(keys.master_public))
        return keys

    async def sign_device(self, keys: CrossSigningKeys, identity: ServerIdentity) -> None:
        if identity.device_keys is None:
            raise CrossSigningError(
                f"the homeserver does not know the keys of device {self.device_id} yet"
            )
        device = dict(identity.device_keys)
        device.pop("unsigned", None)
        device["signatures"] = {self.user_id: {}}  # the new signature only
        sign_json(device, self.user_id, keys.self_signing_public, keys.self_signing)
        await self.api.upload_signatures({self.device_id: device})
        log.info("device %s signed with the bot's self-signing key", self.device_id)


def cross_signing_for(
    client: AsyncClient,
    settings: Settings,
    store_path: Path,
    password: PasswordSource | None = None,
) -> CrossSigning:
    """The cross-signing of a logged-in nio client's device (password: MATRIX_PASSWORD)."""

    async def from_settings() -> str | None:
        return settings.matrix_password

    assert client.device_id is not None
    return CrossSigning(
        KeysApi(client.homeserver, client.user_id, client.access_token),
        client.device_id,
        store_path,
        settings.matrix_cross_signing_key,
        password or from_settings,
    )
