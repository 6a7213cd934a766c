"""The end-to-end fixtures (homeserver, users, the bot's account) serve the container test too."""

from tests.e2e.conftest import bot_account, homeserver, new_user

__all__ = ["bot_account", "homeserver", "new_user"]
