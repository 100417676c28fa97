"""Starting the web board: bind, print the address with its QR code, watch
the folder, serve until Ctrl+C."""

from __future__ import annotations

import asyncio
import contextlib
import io
import ipaddress
import logging
import socket
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

import qrcode
from aiohttp import web

from tui.i18n import t
from tui.services.board_reader import BoardReader
from tui.store.notify import BACKSTOP_SECONDS
from tui.store.readonly import FolderBoard
from tui.voice import Voice
from tui.web.server import BoardHub, make_app

POLL_SECONDS = 0.25  # where the OS cannot notify


def _quiet_server_log() -> None:
    """aiohttp logs a broken request (an address too long, a bad header: any
    phone on the Wi-Fi may send one) as a traceback; Python would print it
    in the board's terminal. Each gets its 400; the terminal stays for the
    board's own lines."""
    server = logging.getLogger("aiohttp.server")
    if not server.handlers:
        server.addHandler(logging.NullHandler())
    server.propagate = False


class BoardError(Exception):
    """The board could not start (the message says why, in one line)."""


def lan_addresses() -> list[str]:
    """This laptop's addresses a TV on the same network can reach."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        # No packet is sent: connecting a UDP socket only picks the route.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    kept = [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]
    return kept or ["127.0.0.1"]


def board_urls(host: str, port: int, token: str) -> list[str]:
    wildcard = host in ("0.0.0.0", "::", "")
    hosts = lan_addresses() if wildcard else [host]
    shown = [f"[{h}]" if ":" in h else h for h in hosts]
    return [f"http://{h}:{port}/{token}/" for h in shown]


def qr_text(url: str) -> str:
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(url)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def _print(out: TextIO, text: str) -> None:
    try:
        out.write(text + "\n")
    except UnicodeEncodeError:  # a console that cannot show the QR's blocks
        out.write(t("web.no_qr") + "\n")
    out.flush()


async def serve(
    root: Path,
    *,
    host: str,
    port: int,
    token: str,
    clock: Callable[[], datetime],
    names: bool,
    contrast: bool,
    voice: Voice | None,
    out: TextIO,
) -> None:
    _quiet_server_log()
    source = FolderBoard(root, backstop=BACKSTOP_SECONDS)
    hub = BoardHub(BoardReader(source, clock, names=names), voice)
    await hub.refresh()
    runner = web.AppRunner(make_app(hub, token, contrast=contrast), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, shutdown_timeout=0.5)
        try:
            await site.start()
        except OSError as err:
            said = t("web.cannot_listen", host=host, port=port, error=err.strerror or err)
            raise BoardError(said) from err
        bound = port or _bound_port(site)
        urls = board_urls(host, bound, token)
        _print(out, t("web.open", url=urls[0]))
        for url in urls[1:]:
            _print(out, t("web.also", url=url))
        _print(out, qr_text(urls[0]))
        _print(out, t("web.how_to_stop"))
        await _watch_and_run(source, hub)
    finally:
        await runner.cleanup()
        if voice is not None:
            voice.close()


def _bound_port(site: web.TCPSite) -> int:
    server = site._server  # the asyncio server aiohttp made; the port 0 picked
    sockets = getattr(server, "sockets", None) or []
    return int(sockets[0].getsockname()[1]) if sockets else 0


async def _watch_and_run(source: FolderBoard, hub: BoardHub) -> None:
    loop = asyncio.get_running_loop()
    polling = asyncio.Event()

    def changed() -> None:
        loop.call_soon_threadsafe(hub.poke)

    def failed(_reason: str) -> None:
        loop.call_soon_threadsafe(polling.set)

    stop = source.watch(changed, failed)

    async def poll() -> None:
        await polling.wait()
        while True:
            hub.poke()
            await asyncio.sleep(POLL_SECONDS)

    try:
        await asyncio.gather(hub.run(), poll())
    finally:
        stop()
