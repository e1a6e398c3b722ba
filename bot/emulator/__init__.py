"""A Telegram Bot API emulator for tests, benchmarks and the demo: the real bot talks to it over HTTP."""

from bot.emulator.model import Answer, ApiError, Button, Call, Message
from bot.emulator.people import Group, Person
from bot.emulator.server import Emulator

__all__ = ["Answer", "ApiError", "Button", "Call", "Emulator", "Group", "Message", "Person"]
