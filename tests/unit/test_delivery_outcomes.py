"""How a failed send is classified: surely not sent (retry freely) or may have arrived (retry at most once)."""

from __future__ import annotations

import aiohttp
import httpx
from telegram.error import NetworkError, TimedOut

from bot.engine_types import Delivery
from handlers.telegram.delivery import network_outcome


def raised_from(error: NetworkError, cause: Exception | None) -> NetworkError:
    error.__cause__ = cause
    return error


def test_nothing_sent_is_transient():
    """A refused connection, a connect timeout, no free pool slot, or a 5xx answer: Telegram has no message."""
    assert network_outcome(raised_from(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused"))) \
        is Delivery.TRANSIENT
    assert network_outcome(raised_from(TimedOut(), httpx.ConnectTimeout("slow connect"))) is Delivery.TRANSIENT
    assert network_outcome(raised_from(TimedOut(), httpx.PoolTimeout("pool full"))) is Delivery.TRANSIENT
    assert network_outcome(NetworkError("Bad Gateway")) is Delivery.TRANSIENT


def test_no_answer_after_sending_is_uncertain():
    """A read timeout or a connection dropped before the answer: the message may have arrived."""
    assert network_outcome(raised_from(TimedOut(), httpx.ReadTimeout("no answer"))) is Delivery.UNCERTAIN
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    assert network_outcome(raised_from(NetworkError("httpx.RemoteProtocolError"), dropped)) is Delivery.UNCERTAIN
    assert network_outcome(raised_from(NetworkError("httpx.ReadError"), httpx.ReadError("reset"))) \
        is Delivery.UNCERTAIN


def test_aiohttps_errors_are_classified_the_same_way():
    """With ZHIBU_HTTP_CLIENT=aiohttp: no connection or no free slot (both a connect-phase timeout) sent nothing; a
    socket read timeout or a dropped connection may hide a delivered message."""
    refused = aiohttp.ClientConnectorError(None, OSError(111, "Connection refused"))
    assert network_outcome(raised_from(NetworkError("aiohttp.ClientConnectorError"), refused)) is Delivery.TRANSIENT
    assert network_outcome(raised_from(TimedOut(), aiohttp.ConnectionTimeoutError("pool"))) is Delivery.TRANSIENT
    assert network_outcome(raised_from(TimedOut(), aiohttp.SocketTimeoutError("no answer"))) is Delivery.UNCERTAIN
    dropped = aiohttp.ServerDisconnectedError()
    assert network_outcome(raised_from(NetworkError("aiohttp.ServerDisconnectedError"), dropped)) \
        is Delivery.UNCERTAIN
