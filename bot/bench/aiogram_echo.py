"""A bare aiogram echo bot: a second yardstick for `zhibu bench updates --unpaced`, beside the PTB echo bot.

It does what bot/bench/echo.py does (a text back as the same text; a button press answered with a toast, then a
message) over aiogram 3, unpaced. aiogram is no dependency of zhibu: the bench runs this file by its path with an
interpreter that has aiogram (`--aiogram-python`, or zhibu's own if aiogram is installed there), so nothing here
is imported unless aiogram is there.
"""

from __future__ import annotations

import asyncio
import os


async def main() -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import CallbackQuery, Message

    root = os.environ["ZHIBU_API_BASE_URL"].removesuffix("/bot")
    server = TelegramAPIServer(base=f"{root}/bot{{token}}/{{method}}", file=f"{root}/file/bot{{token}}/{{path}}")
    bot = Bot(os.environ["ZHIBU_TOKEN"], session=AiohttpSession(api=server))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await bot.send_message(message.chat.id, message.text or "?")

    @dispatcher.callback_query()
    async def tap(query: CallbackQuery) -> None:
        await query.answer(query.data)
        await bot.send_message(query.from_user.id, query.data or "?")

    await dispatcher.start_polling(bot, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
