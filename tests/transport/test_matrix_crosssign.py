"""Cross-signing keys: signatures as the spec defines them, the encrypted copy, the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from vodozemac import Ed25519PublicKey, Ed25519Signature

from bot.transport.matrix_crosssign import (
    CrossSigningError,
    CrossSigningKeys,
    ServerIdentity,
    decrypt_keys,
    encrypt_keys,
    has_valid_signature,
    load_stored_recovery_key,
    new_recovery_key,
    parse_recovery_key,
    save_recovery_key,
    sign_json,
)

USER = "@bureau:tchap.test"


def test_a_signature_is_over_the_canonical_json_without_signatures_and_unsigned() -> None:
    keys = CrossSigningKeys.generate()
    device = {
        "user_id": USER,
        "device_id": "DEV",
        "keys": {"ed25519:DEV": "abc"},
        "algorithms": ["m.olm.v1.curve25519-aes-sha2"],
        "unsigned": {"device_display_name": "Bureau Volant"},
        "signatures": {USER: {"ed25519:DEV": "device's own"}},
    }
    sign_json(device, USER, keys.self_signing_public, keys.self_signing)
    assert device["signatures"][USER]["ed25519:DEV"] == "device's own"  # kept
    signature = device["signatures"][USER][f"ed25519:{keys.self_signing_public}"]
    # Checked by another implementation (vodozemac) over the spec's canonical form.
    canonical = (
        b'{"algorithms":["m.olm.v1.curve25519-aes-sha2"],"device_id":"DEV",'
        b'"keys":{"ed25519:DEV":"abc"},"user_id":"@bureau:tchap.test"}'
    )
    Ed25519PublicKey.from_base64(keys.self_signing_public).verify_signature(
        canonical, Ed25519Signature.from_base64(signature)
    )
    assert has_valid_signature(device, USER, keys.self_signing_public)
    device["keys"] = {"ed25519:DEV": "changed"}
    assert not has_valid_signature(device, USER, keys.self_signing_public)
    assert not has_valid_signature(device, USER, keys.master_public)  # no such signature


def test_the_upload_body_has_the_master_key_sign_the_other_two() -> None:
    keys = CrossSigningKeys.generate()
    body = keys.upload_body(USER)
    master = body["master_key"]
    assert master["usage"] == ["master"] and "signatures" not in master
    assert master["keys"] == {f"ed25519:{keys.master_public}": keys.master_public}
    for usage in ("self_signing", "user_signing"):
        key = body[f"{usage}_key"]
        assert key["usage"] == [usage] and key["user_id"] == USER
        assert has_valid_signature(key, USER, keys.master_public)


def test_the_private_keys_round_trip_only_with_the_recovery_key() -> None:
    keys = CrossSigningKeys.generate()
    recovery_key = new_recovery_key()
    content = encrypt_keys(keys, recovery_key, USER)
    assert keys.seeds()["master"] not in str(content)
    opened = decrypt_keys(content, recovery_key, USER)
    assert opened.seeds() == keys.seeds()
    with pytest.raises(CrossSigningError, match="crypto reset"):
        decrypt_keys(content, new_recovery_key(), USER)
    with pytest.raises(CrossSigningError):  # bound to the account
        decrypt_keys(content, recovery_key, "@other:tchap.test")


# Written by an earlier version of the bot (with `cryptography`'s AESGCM and Ed25519): the
# accounts' stored copies and their devices' signatures must keep working.
EARLIER_USER = "@bot:example.org"
EARLIER_RECOVERY_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
EARLIER_SEEDS = {
    "master": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
    "self_signing": "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI",
    "user_signing": "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM",
}
EARLIER_CONTENT = {
    "version": 1,
    "algorithm": "A256GCM",
    "master_key": "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w",
    "nonce": "tKPnvRzi2aBzUD/O",
    "ciphertext": (
        "ewOnsm4tibr+Y01t0kBED+21SXhnEcz1Nh2zHnhQCZZbu4RACkfjlOch7D+HsG6XfuQQXklTN3ftumv9ZFGLD4bW"
        "NEa9Ku+4KwZQWNho0bB2b4XtQzulZN47JkvnknYBDIKDsFj1GcluHkMa/1M6EHbr959QwAruXAdXN4ZYlEug4eh6"
        "ymb8wiqZ9D31L79Wbca4y45vf/Tz872KcFCSQIy3K6WyAmgKOKOAPENXhUU2Ajo3uMJNyA+cgl50dHH+cv21qMnLTA"
    ),
}
EARLIER_SIGNATURE = (
    "5TOrL7HTIpIMZwnpKMCN9YQ8pi0bB/laDhi67VYY2rlQtWolKopFq9mrQXdIzHJlOXtT2lt5+jcf3EMMrJF4AQ"
)


def test_keys_stored_and_signatures_made_by_earlier_versions_still_work() -> None:
    keys = decrypt_keys(EARLIER_CONTENT, EARLIER_RECOVERY_KEY, EARLIER_USER)
    assert keys.seeds() == EARLIER_SEEDS
    device = {"user_id": EARLIER_USER, "device_id": "DEV", "keys": {"ed25519:DEV": "x"}}
    sign_json(device, EARLIER_USER, keys.self_signing_public, keys.self_signing)
    key_id = f"ed25519:{keys.self_signing_public}"
    assert device["signatures"] == {EARLIER_USER: {key_id: EARLIER_SIGNATURE}}  # deterministic
    assert has_valid_signature(device, EARLIER_USER, keys.self_signing_public)
    device["device_id"] = "OTHER"
    assert not has_valid_signature(device, EARLIER_USER, keys.self_signing_public)


def test_an_altered_or_cut_stored_copy_is_refused_clearly() -> None:
    altered = dict(EARLIER_CONTENT, ciphertext="A" + EARLIER_CONTENT["ciphertext"][1:])
    with pytest.raises(CrossSigningError, match="does not open"):
        decrypt_keys(altered, EARLIER_RECOVERY_KEY, EARLIER_USER)
    for broken in ({"nonce": "tKPn"}, {"ciphertext": "AAAA"}, {"nonce": "!"}):
        with pytest.raises(CrossSigningError, match="unreadable"):
            decrypt_keys({**EARLIER_CONTENT, **broken}, EARLIER_RECOVERY_KEY, EARLIER_USER)


@pytest.mark.parametrize("text", ["", "not base64 !", "c2hvcnQ"])
def test_a_malformed_recovery_key_is_refused_clearly(text: str) -> None:
    with pytest.raises(CrossSigningError, match="MATRIX_CROSS_SIGNING_KEY"):
        parse_recovery_key(text)


def test_the_recovery_key_file_is_private(tmp_path: Path) -> None:
    key = new_recovery_key()
    assert load_stored_recovery_key(tmp_path) is None
    save_recovery_key(tmp_path, key)
    assert load_stored_recovery_key(tmp_path) == key
    assert (tmp_path / "cross_signing_key").stat().st_mode & 0o777 == 0o600


def test_the_server_identity_says_whether_a_device_is_signed() -> None:
    keys = CrossSigningKeys.generate()
    device = {"user_id": USER, "device_id": "DEV", "keys": {"ed25519:DEV": "abc"}}
    query = {
        "master_keys": {USER: {"keys": {f"ed25519:{keys.master_public}": keys.master_public}}},
        "self_signing_keys": {
            USER: {"keys": {f"ed25519:{keys.self_signing_public}": keys.self_signing_public}}
        },
        "device_keys": {USER: {"DEV": device}},
    }
    identity = ServerIdentity.from_query(query, USER, "DEV")
    assert identity.master_key == keys.master_public
    assert not identity.device_signed(USER)
    sign_json(device, USER, keys.self_signing_public, keys.self_signing)
    assert ServerIdentity.from_query(query, USER, "DEV").device_signed(USER)
    assert ServerIdentity.from_query({}, USER, "DEV") == ServerIdentity(None, None, None)


def test_the_recovery_key_and_the_key_wait_come_from_the_environment() -> None:
    from bot.config import ConfigError, load_settings

    defaults = load_settings({})
    assert defaults.matrix_cross_signing_key is None and defaults.matrix_key_wait_s == 15.0
    key = new_recovery_key()
    settings = load_settings({"MATRIX_CROSS_SIGNING_KEY": key, "MATRIX_KEY_WAIT_SECONDS": "2"})
    assert settings.matrix_cross_signing_key == key and settings.matrix_key_wait_s == 2.0
    with pytest.raises(ConfigError):
        load_settings({"MATRIX_KEY_WAIT_SECONDS": "0"})
