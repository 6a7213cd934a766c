"""Bureau Volant: the conversation side of the desk-reservation bot."""
