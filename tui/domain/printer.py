"""Where this laptop's receipt printer is: the `printer` setting
(`fielddesk config set printer ...`), read into a PrinterTarget.

    usb:04b8:0202            a USB printer, vendor:product (hex, as lsusb shows them)
    network:192.168.1.50     a network printer, port 9100 unless given (host:port)
    serial:/dev/ttyUSB0      a serial printer, 9600 baud unless given (COM3:19200)
    file:/dev/usb/lp0        a device file the printer is (or a file, for trying out)
    none                     no printer: nothing is printed

Pure: no printer library here (tui/printing/connect.py opens one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.domain.errors import CodedError
from tui.domain.settings import SettingError

KINDS = ("usb", "network", "serial", "file", "none")
NETWORK_PORT = 9100
SERIAL_BAUD = 9600
BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
_HEX4 = re.compile(r"^(0x)?[0-9a-f]{1,4}$", re.IGNORECASE)  # 0X5011 as typed from a label
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$")


class PrinterSettingError(SettingError):
    """The printer setting cannot be read; the message shows the forms it takes."""

    code = "print.bad_setting"


@dataclass(frozen=True)
class PrinterTarget:
    kind: str = "none"  # one of KINDS
    vendor: int = 0  # usb
    product: int = 0  # usb
    host: str = ""  # network
    port: int = NETWORK_PORT  # network
    device: str = ""  # serial: the port; file: the path
    baud: int = SERIAL_BAUD  # serial

    def __str__(self) -> str:
        """The setting as kept in settings.json (parse_printer reads it back)."""
        if self.kind == "usb":
            return f"usb:{self.vendor:04x}:{self.product:04x}"
        if self.kind == "network":
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"network:{host}:{self.port}"
        if self.kind == "serial":
            return f"serial:{self.device}:{self.baud}"
        if self.kind == "file":
            return f"file:{self.device}"
        return "none"


NONE = PrinterTarget()


def parse_printer(text: str) -> PrinterTarget:
    """The printer `text` names, or PrinterSettingError."""
    value = text.strip()
    kind, _, rest = value.partition(":")
    kind = kind.strip().lower()
    rest = rest.strip()
    if kind == "none" and not rest:
        return NONE
    if kind == "usb":
        parts = rest.split(":")
        if len(parts) == 2 and all(_HEX4.match(p) for p in parts):
            vendor, product = (int(p, 16) for p in parts)
            if vendor and product:
                return PrinterTarget("usb", vendor=vendor, product=product)
    elif kind in ("network", "net", "tcp"):
        found = _host_port(rest)
        if found is not None:
            return PrinterTarget("network", host=found[0], port=found[1])
    elif kind == "serial":
        device, baud = rest, SERIAL_BAUD
        head, sep, tail = rest.rpartition(":")
        if sep and tail.isdigit():
            device, baud = head, int(tail)
        if device and baud in BAUDS:
            return PrinterTarget("serial", device=device, baud=baud)
    elif kind == "file":
        if rest:
            return PrinterTarget("file", device=rest)
    raise PrinterSettingError(value=value)


def _host_port(text: str) -> tuple[str, int] | None:
    """host, host:port, [v6 address]:port."""
    host, port = text, NETWORK_PORT
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        host, after = text[1:end], text[end + 1 :]
        if after:
            if not after.startswith(":") or not after[1:].isdigit():
                return None
            port = int(after[1:])
        return (host, port) if host and 0 < port < 65536 else None
    if text.count(":") == 1:
        host, _, tail = text.partition(":")
        if not tail.isdigit():
            return None
        port = int(tail)
    if not _HOST.match(host) or not 0 < port < 65536:
        return None
    return host, port


class PrintError(CodedError):
    """A document could not be printed or made; the message says why in one line."""

    code = "print.failed"
