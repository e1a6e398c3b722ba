"""Fetching a file Telegram keeps (a photo of the minutes) by its file_id, over the Bot API's HTTP interface:
exports run in the bot and on the command line alike, so they cannot lean on the running Application."""

from __future__ import annotations

import logging

import httpx

from bot.settings import Settings

log = logging.getLogger(__name__)


async def fetch(settings: Settings, file_ids: list[str]) -> dict[str, bytes]:
    """The bytes of each file that could be fetched; a missing token or a failed download leaves it out."""
    if settings.token is None or not file_ids:
        return {}
    token = settings.token.get_secret_value()
    found: dict[str, bytes] = {}
    async with httpx.AsyncClient(timeout=30) as client:
        for file_id in file_ids:
            try:
                sent = await client.post(f"{settings.api_base_url}{token}/getFile", data={"file_id": file_id})
                answer = sent.json()
                if not answer.get("ok"):
                    continue
                response = await client.get(f"{settings.api_file_url}{token}/{answer['result']['file_path']}")
                response.raise_for_status()
                found[file_id] = response.content
            except (httpx.HTTPError, ValueError, KeyError):
                log.warning("could not fetch file %s for an export", file_id, exc_info=True)
    return found
