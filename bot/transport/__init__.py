"""The I/O edges of the bot: `console` (a terminal) and `matrix` (Tchap/Matrix with matrix-nio).

Import the one you need (`from bot.transport.matrix import MatrixTransport`): importing this
package loads neither, so the console never pays for nio.
"""
