"""The Bot API over aiohttp's client instead of PTB's own httpx (ZHIBU_HTTP_CLIENT, aiohttp by default).

`zhibu bench http` (a burst of 2,000 everyday updates, unpaced, 900 branches) measured 1.28–1.78× httpx's
updates/s for 0.70× the bot's CPU per update, so this is the default; httpx stays selectable.

PTB lets an application bring its own `BaseRequest`. This one keeps PTB's contract (status and body back; TimedOut
for timeouts, NetworkError for the rest, the library's error as the cause) and its four timeouts: aiohttp counts
waiting for a pooled connection and connecting as one `connect` phase, so that phase gets both budgets; it has no
write timeout, so the whole request is bounded by the sum of the budgets. The parsed URL objects are kept: the same
few addresses are asked all day.

Proxies are honoured as httpx honours them (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, credentials from ~/.netrc), but
read once when the client starts, never per request: aiohttp's `trust_env` looks them up, and ~/.netrc, in the
thread pool on every request — two thread hops for each message sent.
"""

from __future__ import annotations

import asyncio
import logging
import netrc
import urllib.request
from dataclasses import dataclass
from functools import lru_cache

import aiohttp
import yarl
from aiohttp.helpers import basicauth_from_netrc, netrc_from_env, strip_auth_from_url
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# aiohttp's errors raised before the request could leave (no connection, no free slot): Telegram cannot have seen
# it. Every other failure after the request went out may hide a delivered message.
NOTHING_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


log = logging.getLogger(__name__)


@lru_cache(maxsize=512)
def _url(address: str) -> yarl.URL:
    return yarl.URL(address)


@dataclass(frozen=True)
class Route:
    """How requests to one scheme and host go: through which proxy, and with which credentials (the proxy's, and
    ~/.netrc's for the host itself, as aiohttp's trust_env would add them), as ready-made headers."""

    proxy: yarl.URL | None = None
    headers: dict[str, str] | None = None  # on the request itself
    proxy_headers: dict[str, str] | None = None  # on the CONNECT that opens a tunnel to an https host


def _netrc_auth(found: netrc.netrc | None, host: str | None) -> str | None:
    """The Authorization value ~/.netrc gives for `host`, if any."""
    try:
        return basicauth_from_netrc(found, host).encode() if host else None
    except LookupError:
        return None


class Proxies:
    """The environment's proxy settings and ~/.netrc, read once (`Proxies.from_env`); each host's route is worked
    out from that snapshot the first time it is asked for, then kept."""

    def __init__(self, variables: dict[str, str], found: netrc.netrc | None) -> None:
        self._variables = variables  # getproxies_environment(): scheme → proxy address, and "no" → NO_PROXY
        self._netrc = found
        self._routes: dict[tuple[str, str | None], Route] = {}

    @classmethod
    def from_env(cls) -> Proxies:
        return cls(urllib.request.getproxies_environment(), netrc_from_env())

    def route(self, url: yarl.URL) -> Route:
        key = (url.scheme, url.host)
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = self._work_out(url)
        return route

    def _work_out(self, url: yarl.URL) -> Route:
        auth = _netrc_auth(self._netrc, url.host)
        headers = {"Authorization": auth} if auth else {}
        address = self._variables.get(url.scheme)
        if not address or (url.host and urllib.request.proxy_bypass_environment(url.host, self._variables)):
            return Route(headers=headers or None)
        proxy, credentials = strip_auth_from_url(yarl.URL(address))
        if proxy.scheme in ("https", "wss"):  # as aiohttp: only plain-HTTP proxies (CONNECT tunnels TLS through)
            log.warning("%s proxy %s is not supported; connecting directly", proxy.scheme.upper(), proxy)
            return Route(headers=headers or None)
        proxy_auth = credentials.encode() if credentials else _netrc_auth(self._netrc, proxy.host)
        if proxy_auth is None or url.scheme == "https":
            return Route(proxy, headers or None, {"Proxy-Authorization": proxy_auth} if proxy_auth else None)
        return Route(proxy, {**headers, "Proxy-Authorization": proxy_auth})  # a plain request goes to the proxy


class AiohttpRequest(BaseRequest):
    def __init__(self, *, pool_size: int = 256, read_timeout: float | None = 5.0, write_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = pool_size
        self._read, self._write, self._connect, self._pool = read_timeout, write_timeout, connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: Proxies | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured, as httpx does: where Telegram is only reachable
            # through a proxy, switching the client must not cut the bot off. Read once, here (a file is read).
            self._proxies = await asyncio.to_thread(Proxies.from_env)
            # The session is made here, inside the running loop, never in __init__ (the builder runs outside it).
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=self._pool_size),
                headers={"User-Agent": self.USER_AGENT}, skip_auto_headers=("Accept-Encoding",))

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE, write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE,
                         pool_timeout=BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, bool(files))
        address = _url(url)
        route = self._proxies.route(address)
        try:
            async with self._session.request(method, address, data=_body(request_data, files), timeout=timeout,
                                             proxy=route.proxy, headers=route.headers,
                                             proxy_headers=route.proxy_headers) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _timeout(self, read, write, connect, pool, media: bool) -> aiohttp.ClientTimeout:
        read = self._read if isinstance(read, DefaultValue) else read
        write = (self._media_write if media else self._write) if isinstance(write, DefaultValue) else write
        connect = self._connect if isinstance(connect, DefaultValue) else connect
        pool = self._pool if isinstance(pool, DefaultValue) else pool
        waiting = None if connect is None or pool is None else connect + pool
        # The whole request within the sum of its budgets, as with httpx, where each phase has its own.
        total = None if None in (waiting, write, read) else waiting + write + read
        return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect, sock_read=read)


def _body(request_data: RequestData | None, files: dict | None) -> aiohttp.FormData | dict[str, str] | None:
    """Parameters as a urlencoded form, as PTB's default sends them; with files, a multipart form."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields
    form = aiohttp.FormData(quote_fields=False)  # file names as UTF-8, as httpx sends them (not %-escaped)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
