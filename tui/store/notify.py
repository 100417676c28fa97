"""Being told by the operating system that a data file changed: inotify on
Linux, ReadDirectoryChangesW on Windows, FSEvents on macOS, through watchfiles.

No Textual here. A daemon thread waits on the notifications and calls
`on_change()` (from that thread) soon after a data file in the watched
folders was written, renamed or removed; the app or the display then reads
the files' stamps again on its own side (Store.watcher(), readonly.stamps),
which also tells another process's write from its own.

When notifications cannot be had (watchfiles missing, the inotify watch
limit reached, a file system without them) `on_failed(reason)` is called
once, at start or later, and the caller polls the stamps instead.
Notifications do not cross the network: on a shared folder a change made on
another computer is not reported, so `on_change()` is also called every
`backstop` seconds without one (a stat of a few files).
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

from tui.store.layout import CASES, CERTIFICATIONS, DAYS, RESIDENTS_DIR

STEP_MS = 20  # the watch thread looks at what the OS reported this often
DEBOUNCE_MS = 60  # a burst of writes (one commit's files) is gathered at most this long
BACKSTOP_SECONDS = 1.0  # on_change() this often even without a notification
DATA_SUFFIX = ".json"

# A watch thread still inside watchfiles when the interpreter shuts down crashes
# it (SIGSEGV): whatever did not stop its notifier, exit stops them all first.
_RUNNING: weakref.WeakSet[Notifier] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for notifier in list(_RUNNING):
        notifier.stop()


class Notifier:
    """Calls `on_change` soon after a data file under `root` changes."""

    def __init__(
        self,
        root: Path,
        on_change: Callable[[], object],
        on_failed: Callable[[str], object],
        *,
        folders: Iterable[str] = (DAYS, CASES, CERTIFICATIONS, RESIDENTS_DIR),
        backstop: float | None = BACKSTOP_SECONDS,
    ) -> None:
        """`folders` below `root` are watched besides it (not recursively:
        backups and drafts are not data another desk waits for). `backstop`
        None: on_change() only on a notification."""
        self.root = Path(root)
        self.on_change = on_change
        self.on_failed = on_failed
        self.folders = tuple(self.root / f for f in folders)
        self.backstop = backstop
        self.watching: tuple[str, ...] = ()  # the folders notifications come from now
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start watching in a daemon thread (watchfiles is imported there)."""
        self._thread = threading.Thread(target=self._run, name="fielddesk-notify", daemon=True)
        _RUNNING.add(self)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the thread and wait for it (it looks every STEP_MS)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        _RUNNING.discard(self)

    def _wanted(self) -> tuple[str, ...]:
        """The folders to watch: the data folder and those of its folders that
        exist; while it is missing, its nearest existing parent, to see it come."""
        if not self.root.is_dir():
            parent = self.root.parent
            while not parent.is_dir() and parent != parent.parent:
                parent = parent.parent
            return (str(parent),) if parent.is_dir() else ()
        return (str(self.root), *(str(f) for f in self.folders if f.is_dir()))

    def _relevant(self, path: str) -> bool:
        """A data file (not a temp file, the lock or a draft), or a watched
        folder come or gone."""
        name = Path(path).name
        if name.endswith(DATA_SUFFIX) and not name.startswith("."):
            return True
        return Path(path) in (self.root, *self.folders)

    def _run(self) -> None:
        try:
            from watchfiles._rust_notify import RustNotify  # documented: watchfiles' rust backend
        except ImportError as err:
            self.on_failed(f"watchfiles: {err}")
            return
        notify = None
        timeout_ms = round(self.backstop * 1000) if self.backstop else 0
        try:
            while not self._stop.is_set():
                wanted = self._wanted()
                if wanted != self.watching or notify is None:
                    if notify is not None:
                        notify.close()
                        notify = None
                    if not wanted:  # nothing at all to watch: look again shortly
                        self.watching = ()
                        self._stop.wait(self.backstop or 1.0)
                        self.on_change()
                        continue
                    # debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied
                    notify = RustNotify(list(wanted), False, False, 0, False, False)
                    self.watching = wanted
                    self.on_change()  # what changed before the watches were in place
                result = notify.watch(DEBOUNCE_MS, STEP_MS, timeout_ms, self._stop)
                if result == "stop":
                    break
                if result == "timeout" or (
                    isinstance(result, set) and any(self._relevant(p) for _, p in result)
                ):
                    self.on_change()
        except (OSError, RuntimeError) as err:  # the watch limit, an unsupported file system
            self.watching = ()
            if not self._stop.is_set():
                self.on_failed(str(err) or type(err).__name__)
        finally:
            if notify is not None:
                notify.close()
