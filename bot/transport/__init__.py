"""Transports: the only I/O edges of the bot (terminal, Matrix)."""
