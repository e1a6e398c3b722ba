"""The aiohttp client reaches Telegram through the proxy the environment names (HTTP_PROXY, HTTPS_PROXY by CONNECT,
credentials from ~/.netrc), not for NO_PROXY's hosts, and reads all that once when it starts, never per request."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yarl
from telegram import Bot
from telegram.error import NetworkError

from bot.emulator import Emulator
from handlers.telegram.aiohttp_request import AiohttpRequest

PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")


class Proxy:
    """A tiny HTTP proxy on loopback, one request per connection: an absolute-form request is passed on to its
    host (asked to close after answering), a CONNECT opens a tunnel. It notes each request line and the
    Proxy-Authorization it came with."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str | None]] = []
        self.server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            method, target, version = head[0].split(" ")
            fields = [line.split(":", 1) for line in head[1:] if line]
            headers = {name.strip().lower(): value.strip() for name, value in fields}
            self.seen.append((method, target, headers.get("proxy-authorization")))
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                upstream_reader, upstream = await asyncio.open_connection(host, int(port))
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                url = yarl.URL(target)
                upstream_reader, upstream = await asyncio.open_connection(url.host, url.port)
                kept = [f"{n}: {v}" for n, v in headers.items() if not n.startswith("proxy-") and n != "connection"]
                upstream.write("\r\n".join([f"{method} {url.raw_path_qs} {version}", *kept, "Connection: close",
                                            "", ""]).encode("latin-1"))
            await asyncio.gather(_pipe(reader, upstream), _pipe(upstream_reader, writer))
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> Proxy:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        await self.server.wait_closed()


async def _pipe(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while chunk := await source.read(65536):
            target.write(chunk)
            await target.drain()
    with contextlib.suppress(OSError):
        target.close()


@pytest.fixture
def env(monkeypatch, tmp_path: Path):
    """No proxy variable but those a test sets, and no ~/.netrc but the one it writes."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    return monkeypatch


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


async def _get_me(emu: Emulator) -> str:
    async with Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest(),
                   get_updates_request=AiohttpRequest(pool_size=1)) as bot:
        return (await bot.get_me()).username


async def test_http_proxy_carries_the_requests(env, emu):
    """With HTTP_PROXY set, the bot's requests go through that proxy and their answers come back through it."""
    async with Proxy() as proxy:
        env.setenv("HTTP_PROXY", proxy.url)
        assert await _get_me(emu) == "zhibu_bot"
    assert proxy.seen and all(m == "POST" and t.startswith(emu.base_url) for m, t, _ in proxy.seen)


async def test_no_proxy_hosts_are_asked_directly(env, emu):
    """A host NO_PROXY names is asked directly: the proxy sees nothing."""
    async with Proxy() as proxy:
        env.setenv("HTTP_PROXY", proxy.url)
        env.setenv("NO_PROXY", "localhost,127.0.0.1")
        assert await _get_me(emu) == "zhibu_bot"
    assert proxy.seen == []


async def test_the_proxy_is_read_once_at_start(env, emu):
    """The environment is read when the client starts: proxy variables changed afterwards change nothing (the
    client no longer looks them up for every request)."""
    async with Proxy() as proxy:
        env.setenv("HTTP_PROXY", proxy.url)
        request = AiohttpRequest()
        await request.initialize()
        try:
            env.delenv("HTTP_PROXY")
            env.setenv("NO_PROXY", "*")
            status, _ = await request.do_request(f"{emu.base_url}{emu.token}/getMe", "POST")
        finally:
            await request.shutdown()
    assert status == 200 and len(proxy.seen) == 1


async def test_proxy_credentials_come_from_netrc(env, emu, tmp_path):
    """A proxy address without credentials gets those ~/.netrc has for its host, as aiohttp's trust_env did."""
    (tmp_path / "netrc").write_text("machine 127.0.0.1 login zhibu password s3cret\n")
    async with Proxy() as proxy:
        env.setenv("HTTP_PROXY", proxy.url)
        assert await _get_me(emu) == "zhibu_bot"
    expected = "Basic " + base64.b64encode(b"zhibu:s3cret").decode()
    assert proxy.seen and all(auth == expected for _, _, auth in proxy.seen)


class Listener:
    """A TCP server that counts the connections it accepts and hangs up at once (it speaks no TLS)."""

    def __init__(self) -> None:
        self.accepted = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        writer.close()


async def _https_request(port: int) -> None:
    request = AiohttpRequest(connect_timeout=2, read_timeout=2, write_timeout=2, pool_timeout=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):  # the listener speaks no TLS: reaching it is what counts
            await request.do_request(f"https://127.0.0.1:{port}/bot123:x/getMe", "POST")
    finally:
        await request.shutdown()


@pytest.mark.parametrize("bypassed", [False, True])
async def test_https_goes_through_a_connect_tunnel(env, bypassed):
    """An https address goes through HTTPS_PROXY by a CONNECT tunnel to its host and port; with NO_PROXY naming the
    host it is asked directly and the proxy sees nothing."""
    listener = Listener()
    server = await asyncio.start_server(listener._serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with Proxy() as proxy:
            env.setenv("HTTPS_PROXY", proxy.url)
            if bypassed:
                env.setenv("NO_PROXY", "127.0.0.1")
            await _https_request(port)
    finally:
        server.close()
        await server.wait_closed()
    assert listener.accepted >= 1
    assert proxy.seen == ([] if bypassed else [("CONNECT", f"127.0.0.1:{port}", None)] * len(proxy.seen))
    assert bypassed or proxy.seen
