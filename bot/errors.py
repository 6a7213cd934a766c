"""Typed errors the user can act on; the dispatcher renders them, politely, in one place."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something the user can fix or should know: a translatable message id and its parameters.

    Raising one changes nothing: commands raise before calling the core, or the core's transaction
    has already rolled back.
    """

    def __init__(self, msgid: str, *, strong: tuple[str, ...] = (), **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.strong = strong
        self.params: dict[str, Any] = params


class NotAllowed(UserError):
    """The sender may not do this; the message says who can."""
