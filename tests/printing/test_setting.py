"""The `printer` setting: each form it takes, kept normalised; anything else
refused with the forms it takes."""

from __future__ import annotations

import pytest

from tui.domain.printer import PrinterSettingError, PrinterTarget, parse_printer
from tui.domain.settings import SettingError, check_setting, usable
from tui.messages import describe_error


@pytest.mark.parametrize(
    ("typed", "kept", "target"),
    [
        ("usb:04b8:0202", "usb:04b8:0202", PrinterTarget("usb", vendor=0x04B8, product=0x0202)),
        (
            " USB:0x0416:0x5011 ",
            "usb:0416:5011",
            PrinterTarget("usb", vendor=0x416, product=0x5011),
        ),
        ("usb:0X0416:0XA0F1", "usb:0416:a0f1", PrinterTarget("usb", vendor=0x416, product=0xA0F1)),
        (
            "network:192.168.1.50",
            "network:192.168.1.50:9100",
            PrinterTarget("network", host="192.168.1.50"),
        ),
        (
            "net:printer.local:9101",
            "network:printer.local:9101",
            PrinterTarget("network", host="printer.local", port=9101),
        ),
        (
            "network:[fe80::1]:9100",
            "network:[fe80::1]:9100",
            PrinterTarget("network", host="fe80::1"),
        ),
        (
            "serial:/dev/ttyUSB0",
            "serial:/dev/ttyUSB0:9600",
            PrinterTarget("serial", device="/dev/ttyUSB0"),
        ),
        (
            "serial:COM3:19200",
            "serial:COM3:19200",
            PrinterTarget("serial", device="COM3", baud=19200),
        ),
        ("file:/dev/usb/lp0", "file:/dev/usb/lp0", PrinterTarget("file", device="/dev/usb/lp0")),
        (
            "file:C:\\shared\\lp.bin",
            "file:C:\\shared\\lp.bin",
            PrinterTarget("file", device="C:\\shared\\lp.bin"),
        ),
        ("none", "none", PrinterTarget()),
    ],
)
def test_each_form(typed: str, kept: str, target: PrinterTarget) -> None:
    assert parse_printer(typed) == target
    assert check_setting("printer", typed) == kept
    assert parse_printer(kept) == target  # what is kept reads back the same
    assert usable({"printer": kept}) == {"printer": kept}


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "lpt1",
        "usb",
        "usb:xyz:1",
        "usb:0:0",
        "usb:04b8",
        "network:",
        "network:a b",
        "network:host:99999",
        "serial:COM3:123",
        "serial:",
        "file:",
        "none:x",
        "\x1b[31musb",
    ],
)
def test_anything_else_is_refused_saying_the_forms(typed: str) -> None:
    with pytest.raises(SettingError) as refused:
        check_setting("printer", typed)
    assert isinstance(refused.value, PrinterSettingError)
    said = describe_error(refused.value)
    assert said.startswith("printer must be usb:VENDOR:PRODUCT, network:HOST[:PORT]")
    assert "\n" not in said
    assert usable({"printer": typed}) == {}
