"""Sending a document's bytes to the laptop's receipt printer (the `printer`
setting, tui/domain/printer.py) through python-escpos's printer classes.

Everything that can go wrong with a printer (unplugged, no driver, paper
out on a serial line, a host that does not answer, a device file that may
not be written, pyusb missing) becomes one PrintError whose message is one
line. One print at a time per process: two slips never interleave.
"""

from __future__ import annotations

import errno
import os
import select
import threading
import time
from typing import Any

from escpos.exceptions import DeviceNotFoundError  # type: ignore[import-untyped]

from tui.domain.printer import PrintError, PrinterTarget

NETWORK_TIMEOUT = 5.0  # seconds to reach a network printer and to send to it
SERIAL_TIMEOUT = 5.0
FILE_TIMEOUT = 5.0  # seconds a device file may take to accept the document
USB_TIMEOUT = 5000  # milliseconds per USB write

_ONE_AT_A_TIME = threading.Lock()


def open_printer(target: PrinterTarget) -> Any:
    """python-escpos's printer for `target`, not yet opened."""
    if target.kind == "usb":
        from escpos.printer import Usb  # type: ignore[import-untyped]

        if not Usb.is_usable():
            raise PrintError("print.needs_pyusb")
        return Usb(target.vendor, target.product, usb_args=_usb_backend(), timeout=USB_TIMEOUT)
    if target.kind == "network":
        from escpos.printer import Network

        return Network(target.host, port=target.port, timeout=NETWORK_TIMEOUT)
    if target.kind == "serial":
        from escpos.printer import Serial

        if not Serial.is_usable():
            raise PrintError("print.needs_pyserial")
        return Serial(devfile=target.device, baudrate=target.baud, timeout=SERIAL_TIMEOUT)
    if target.kind == "file":
        if hasattr(os, "O_NONBLOCK"):
            return DeviceFile(target.device)
        from escpos.printer import File

        return File(devfile=target.device)
    raise PrintError("print.no_printer")


class DeviceFile:
    """A `file:` printer written without ever waiting for good: a device that
    takes nothing (a printer switched off or out of paper behind
    /dev/usb/lp0, a pipe no one reads) fails after FILE_TIMEOUT seconds
    instead of holding the print, every print after it and the app's exit.
    python-escpos's File would block in open() or write() (POSIX only:
    Windows has no O_NONBLOCK and keeps python-escpos's File)."""

    def __init__(self, path: str, timeout: float | None = None) -> None:
        self.path = path
        self.timeout = FILE_TIMEOUT if timeout is None else timeout
        self._fd: int | None = None

    def open(self) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK
        try:
            self._fd = os.open(self.path, flags, 0o644)
        except OSError as err:
            if err.errno == errno.ENXIO:  # a pipe with no reader
                raise TimeoutError(f"nothing reads {self.path}") from err
            raise

    def _raw(self, data: bytes) -> None:
        assert self._fd is not None
        left = memoryview(data)
        deadline = time.monotonic() + self.timeout
        while left:
            try:
                left = left[os.write(self._fd, left) :]
            except BlockingIOError:
                pass
            if left:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    raise TimeoutError(f"{self.path} took no data for {self.timeout:g} s")
                select.select([], [self._fd], [], min(wait, 0.5))

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def _usb_backend() -> dict[str, Any]:
    """libusb from libusb-package (Windows has none of its own; elsewhere it is
    the same library), else whatever pyusb finds on the system."""
    try:
        import libusb_package
    except ImportError:
        return {}
    backend = libusb_package.get_libusb1_backend()
    return {"backend": backend} if backend is not None else {}


def send(target: PrinterTarget, data: bytes, printer: Any = None) -> None:
    """Write `data` to the printer in one go and close it. `printer`: an
    escpos printer object to use instead of opening `target` (tests give a
    Dummy, or one that fails). PrintError says why it did not print."""
    with _ONE_AT_A_TIME:
        device = printer if printer is not None else open_printer(target)
        try:
            device.open()
            if target.kind == "usb":
                _find_out_endpoint(device)
            device._raw(data)
        except PrintError:
            raise
        except Exception as err:  # a printer can fail in any of its libraries' ways
            if target.kind == "usb" and isinstance(err, DeviceNotFoundError):
                raise PrintError("print.usb_not_found", device=str(target)) from err
            raise PrintError("print.failed", reason=reason(err)) from err
        finally:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - closing a printer that failed: nothing to add
                pass


def reason(err: BaseException) -> str:
    """An exception as a short line: python-escpos puts its message in `msg`,
    over two lines (what, then the system's reason)."""
    text = str(getattr(err, "msg", "") or err) or type(err).__name__
    return " ".join(part.strip() for part in text.splitlines() if part.strip())[:200]


def _find_out_endpoint(device: Any) -> None:
    """Receipt printers do not all take their data on endpoint 0x01, which
    python-escpos assumes: use the printer's own bulk OUT endpoint."""
    try:
        import usb.util

        interface = device.device.get_active_configuration()[(0, 0)]
        endpoint = usb.util.find_descriptor(
            interface,
            custom_match=lambda e: (
                usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT
            ),
        )
    except Exception:  # noqa: BLE001 - keep python-escpos's default
        return
    if endpoint is not None:
        device.out_ep = endpoint.bEndpointAddress
