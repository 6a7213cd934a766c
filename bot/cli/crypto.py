"""`bureau-volant crypto bootstrap|reset|status`: the bot's cross-signing identity.

`bootstrap` creates the keys when the account has none (the bot also does it on its first start)
and prints the recovery key once; `reset` replaces them (confirmation and password asked);
`status` prints the identity and whether this device is signed. See docs/tchap.md.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from bot.transport.matrix_crosssign import PasswordSource


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "crypto",
        help="the bot's cross-signing identity: bootstrap, reset, status",
        description=(
            "Cross-signing of the bot's devices (MATRIX_* settings). The private keys are kept "
            "encrypted in the account's data under the recovery key MATRIX_CROSS_SIGNING_KEY."
        ),
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_text in (
        ("bootstrap", "create the cross-signing keys if needed, sign this device, print them"),
        ("reset", "replace the cross-signing keys (people verify the bot again)"),
        ("status", "print the bot's identity and whether this device is signed"),
    ):
        action = actions.add_parser(name, help=help_text, description=help_text)
        if name != "status":
            action.add_argument(
                "--password-stdin",
                action="store_true",
                help="read the bot's password (asked by the homeserver) from standard input",
            )
        if name == "reset":
            action.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        action.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    settings = load_settings()
    settings.require_matrix()
    if args.action == "reset" and not args.yes:
        print(
            "This replaces the bot's cross-signing identity: everyone who verified the bot will "
            "see that its identity changed and must verify it again.",
            file=sys.stderr,
        )
        if input("Type RESET to go on: ").strip() != "RESET":
            print("Nothing changed.", file=sys.stderr)
            return 1
    return asyncio.run(_run(settings, args))


def _password_source(settings: Settings, from_stdin: bool) -> PasswordSource:
    cache: list[str] = []

    async def password() -> str | None:
        if settings.matrix_password:
            return settings.matrix_password
        if not cache:
            if from_stdin:
                cache.append(sys.stdin.readline().rstrip("\n"))
            else:
                cache.append(getpass.getpass(f"Password of {settings.matrix_user_id}: "))
        return cache[0] or None

    return password


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.transport.matrix_client import MatrixSessionError, open_client
    from bot.transport.matrix_crosssign import (
        CrossSigningError,
        cross_signing_for,
        fingerprint,
        new_recovery_key,
        recovery_key_path,
        save_recovery_key,
    )

    try:
        client = await open_client(settings, cross_sign=False)
    except MatrixSessionError as error:
        print(f"bureau-volant: {error}", file=sys.stderr)
        return 1
    store = Path(settings.matrix_store_path)
    try:
        password = _password_source(settings, getattr(args, "password_stdin", False))
        signing = cross_signing_for(client, settings, store, password)
        identity = await signing.identity()
        if args.action == "status":
            if identity.master_key is None:
                print("no cross-signing keys: run `bureau-volant crypto bootstrap`")
                return 1
            print(f"master key (the bot's identity): {fingerprint(identity.master_key)}")
            signed = identity.device_signed(settings.matrix_user_id or "")
            print(f"device {client.device_id}: {'signed' if signed else 'NOT signed'}")
            return 0 if signed else 1
        fresh_key = None
        if args.action == "reset" or identity.master_key is None:
            if args.action == "reset" or settings.matrix_cross_signing_key is None:
                fresh_key = new_recovery_key()
                signing.recovery_key = fresh_key
            keys = await signing.create()
            if fresh_key is not None:  # kept only once the new keys are in place
                save_recovery_key(store, fresh_key)
            identity = await signing.identity()
        else:
            keys = await signing.unlock(identity)
        if not identity.device_signed(signing.user_id):
            await signing.sign_device(keys, identity)
        print(f"master key (the bot's identity): {fingerprint(keys.master_public)}")
        print(f"device {client.device_id}: signed")
        if fresh_key is not None:
            print(
                "\nRecovery key (shown once; also kept in "
                f"{recovery_key_path(store)}). Give it to the bot's other devices and keep it "
                f"safe:\nMATRIX_CROSS_SIGNING_KEY={fresh_key}"
            )
        return 0
    except CrossSigningError as error:
        print(f"bureau-volant: cross-signing: {error}", file=sys.stderr)
        return 1
    finally:
        await client.close()
