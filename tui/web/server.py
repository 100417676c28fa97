"""The web board's server (aiohttp): the page, its events and the token.

  GET /<token>/        the page (tui/web/page.html), self-contained
  GET /<token>/events  server-sent events: `board` (the state as JSON) at
                       connect and on each change, `ping` (the time) every
                       PING_SECONDS so a dead connection is noticed both ends
  GET /<token>/state   the state as JSON, once

Anything without the token gets 403. The folder is watched as the terminal
display watches it (OS notifications, a stat every second as a backstop);
the reading runs in a thread so a slow disk never holds a connection."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from tui.domain.queue import Board, BoardEntry
from tui.i18n import language, t
from tui.services.board_reader import BoardReader
from tui.voice import Voice

PING_SECONDS = 15.0
RETRY_MS = 1000  # the browser reconnects this soon after the connection drops
PAGE = Path(__file__).with_name("page.html")
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token never leaves in a Referer
    "X-Content-Type-Options": "nosniff",
}
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'"
)


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _labels() -> dict[str, str]:
    keys = ("title", "now", "next", "recent", "desk", "none", "last", "waiting")
    labels = {key: t(f"display.{key}") for key in keys}
    labels["reconnecting"] = t("web.reconnecting")
    return labels


def page_html(*, contrast: bool) -> str:
    config = {"labels": _labels(), "lang": language(), "contrast": contrast}
    # Inside <script>: "<" escaped so no text can close the element.
    blob = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    html = PAGE.read_text(encoding="utf-8")
    lang = "zh-CN" if language() == "zh" else "en"
    return html.replace("{{lang}}", lang).replace("{{config}}", blob)


def _entry(entry: BoardEntry) -> dict[str, Any]:
    return {"number": entry.number, "desk": entry.desk, "name": entry.name}


def board_json(board: Board) -> dict[str, Any]:
    """What the page draws: numbers, desks, at most masked names."""
    return {
        "now": [_entry(e) for e in board.now_serving],
        "next": [_entry(e) for e in board.next_up],
        "recent": [_entry(e) for e in board.recent],
        "last": _entry(board.last_called) if board.last_called else None,
    }


class BoardHub:
    """Keeps the latest state and wakes every open event stream on a change."""

    def __init__(self, reader: BoardReader, voice: Voice | None = None) -> None:
        self.reader = reader
        self.voice = voice
        self.state: dict[str, Any] = self._state()
        self.version = 0
        self._changed = asyncio.Condition()
        self._poke = asyncio.Event()

    def poke(self) -> None:
        """A file may have changed (called on the loop's thread)."""
        self._poke.set()

    async def refresh(self) -> None:
        """Reads the day (in a thread: a slow disk holds no connection) and
        wakes the event streams if what they show changed. Only run() calls
        it, once at a time."""
        called = await asyncio.to_thread(self.reader.read)
        if self.voice is not None:
            for entry in called or ():
                self.voice.say(entry.number, entry.desk)
        state = self._state()
        if state != self.state:
            self.state = state
            self.version += 1
            async with self._changed:
                self._changed.notify_all()

    async def run(self) -> None:
        """Reads whenever poked, and once a minute for the clock."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), timeout=60 - self._seconds())
            self._poke.clear()
            await self.refresh()

    def _state(self) -> dict[str, Any]:
        """The board as JSON with the compound, the time and `waiting`: the
        last board stays while the folder cannot be read."""
        now = self.reader.clock()
        return {
            **board_json(self.reader.board),
            "compound": self.reader.compound,
            "time": now.strftime("%H:%M"),
            "waiting": self.reader.waiting,
        }

    def _seconds(self) -> float:
        now = self.reader.clock()
        return now.second + now.microsecond / 1e6

    async def wait_change(self, version: int, timeout: float) -> bool:
        """True once the state is newer than `version`; False after `timeout`."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.version != version), timeout
                )
            except TimeoutError:
                return False
        return True


def _event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def make_app(hub: BoardHub, token: str, *, contrast: bool) -> web.Application:
    page = page_html(contrast=contrast)

    @web.middleware
    async def needs_token(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        given = request.match_info.get("token", "")
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            return web.Response(status=403, text=t("web.forbidden"), headers=HEADERS)
        return await handler(request)

    async def show_page(request: web.Request) -> web.StreamResponse:
        if not request.path.endswith("/"):
            raise web.HTTPFound(request.path + "/")  # the page's links are relative
        headers = {**HEADERS, "Content-Security-Policy": CSP}
        return web.Response(text=page, content_type="text/html", headers=headers)

    async def show_state(request: web.Request) -> web.StreamResponse:
        return web.json_response(hub.state, headers=HEADERS)

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={**HEADERS, "Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
        )
        await response.prepare(request)
        try:
            await response.write(f"retry: {RETRY_MS}\n\n".encode())
            while True:
                version = hub.version
                await response.write(_event("board", hub.state))
                while not await hub.wait_change(version, PING_SECONDS):
                    await response.write(_event("ping", hub.state["time"]))
        except ConnectionError:
            pass  # the browser went away; it comes back by itself
        return response

    app = web.Application(middlewares=[needs_token])
    app.router.add_get("/{token}", show_page)
    app.router.add_get("/{token}/", show_page)
    app.router.add_get("/{token}/state", show_state)
    app.router.add_get("/{token}/events", events)
    # Any other address or method has no token in its match: needs_token's 403.
    return app
