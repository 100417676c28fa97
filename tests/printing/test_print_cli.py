"""`fielddesk print` as staff run it: real processes on a copy of the sample
community, files on disk, one line on failure."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli.test_cli import fielddesk, one_line
from tests.conftest import PYTHON, ROOT, python_env
from tests.printing.conftest import printed

DAY = "2026-11-20"  # a day of the sample community with tickets


def first_ticket(folder: Path) -> str:
    tickets = json.loads((folder / "days" / f"{DAY}.json").read_text("utf-8"))["ticket"]
    return sorted(t["number"] for t in tickets.values())[0]


def first_case(folder: Path) -> dict[str, str]:
    cases = json.loads((folder / "cases" / "open.json").read_text("utf-8"))["case"]
    return sorted(cases.values(), key=lambda c: c["id"])[0]


def test_card_slip_and_receipt_as_pdf_html_and_escpos(sample_dir: Path, tmp_path: Path) -> None:
    number = first_ticket(sample_dir)
    case = first_case(sample_dir)
    short = case["id"].replace("-", "")[:8]
    card = fielddesk(
        "--lang", "zh", "print", "card", "--out", str(tmp_path / "card.pdf"), data=sample_dir
    )
    assert card.returncode == 0, card.stderr
    assert card.stderr.strip() == f"社区连心卡已写入 {tmp_path / 'card.pdf'}"
    text = subprocess.run(
        ["pdftotext", tmp_path / "card.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "社区连心卡" in text and "党委书记" in text

    slip = fielddesk(
        "print",
        "slip",
        number.lower(),
        "--date",
        DAY,
        "--format",
        "html",
        "--out",
        str(tmp_path / "slip.html"),
        data=sample_dir,
    )
    assert slip.returncode == 0, slip.stderr
    page = (tmp_path / "slip.html").read_text("utf-8")
    assert f"<bdi>{number}</bdi>" in page and "Queue ticket" in page

    receipt = fielddesk_bytes(
        "--lang",
        "zh",
        "print",
        "receipt",
        short.lower(),
        "--format",
        "escpos",
        "--out",
        "-",
        data=sample_dir,
    )
    lines = printed(receipt)
    assert f"登记编号：{short.upper()}" in lines and "登记回执" in lines


def test_to_the_configured_printer(sample_dir: Path, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    assert fielddesk("config", "set", "printer", f"file:{device}", data=sample_dir).returncode == 0
    assert fielddesk("config", "get", "printer", data=sample_dir).stdout.strip() == f"file:{device}"
    done = fielddesk("print", "card", data=sample_dir)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"Contact card sent to the printer file:{device}"
    assert "Contact card" in printed(device.read_bytes())


def test_what_goes_wrong_is_one_line(sample_dir: Path, tmp_path: Path) -> None:
    assert "no printer is set" in one_line(fielddesk("print", "card", data=sample_dir), 2)
    assert "needs the ticket's number" in one_line(fielddesk("print", "slip", data=sample_dir), 2)
    said = one_line(fielddesk("print", "slip", "F999", "--date", DAY, data=sample_dir), 2)
    assert said == f"fielddesk: no ticket F999 on {DAY}"
    assert "no case ZZZ" in one_line(fielddesk("print", "receipt", "ZZZ", data=sample_dir), 2)
    bad = fielddesk("config", "set", "printer", "lpt1", data=sample_dir)
    assert "printer must be usb:VENDOR:PRODUCT" in one_line(bad, 2)
    gone = tmp_path / "no" / "such" / "lp0"
    fielddesk("config", "set", "printer", f"file:{gone}", data=sample_dir)
    said = one_line(fielddesk("print", "card", data=sample_dir), 1)
    assert said.startswith("fielddesk: printer error: ") and "No such file" in said
    fielddesk("config", "set", "printer", "network:127.0.0.1:9", data=sample_dir)
    assert "printer error" in one_line(fielddesk("print", "card", data=sample_dir), 1)
    # pyusb with its bundled libusb, and pyserial, really try: no such device here.
    fielddesk("config", "set", "printer", "usb:0x1234:0x5678", data=sample_dir)
    said = one_line(fielddesk("print", "card", data=sample_dir), 1)
    assert said == (
        "fielddesk: The receipt printer usb:1234:5678 is not plugged in, "
        "or not seen by libusb (docs/PRINTING.md)."
    )
    fielddesk("config", "set", "printer", f"serial:{tmp_path / 'ttyUSB9'}", data=sample_dir)
    said = one_line(fielddesk("print", "card", data=sample_dir), 1)
    assert said.startswith("fielddesk: printer error: ") and "ttyUSB9" in said
    no_font = fielddesk(
        "print",
        "card",
        "--out",
        str(tmp_path / "c.pdf"),
        data=sample_dir,
        env={"FIELDDESK_PDF_FONT": "/no/such/font.ttf"},
    )
    assert "--format html" in one_line(no_font, 1)
    assert not (tmp_path / "c.pdf").exists()
    missing = fielddesk(
        "print", "card", "--out", str(tmp_path / "c.html"), data=tmp_path / "nothing"
    )
    assert "no such folder" in one_line(missing, 2)


def test_help_in_both_languages() -> None:
    assert "card|slip|receipt" in fielddesk("print", "--help").stdout
    assert "社区连心卡" in fielddesk("--lang", "zh", "print", "--help").stdout


def fielddesk_bytes(*args: str, data: Path) -> bytes:
    """What `fielddesk ARGS` writes to standard output, as bytes."""
    env = {**python_env(), "FIELDDESK_DATA": str(data)}
    done = subprocess.run(
        [PYTHON, "-m", "tui", *args], cwd=ROOT, env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_a_closed_case_s_receipt_is_found_in_the_archive(sample_dir: Path) -> None:
    month = sorted((sample_dir / "cases" / "closed").glob("*.json"))[0]
    closed = json.loads(month.read_text("utf-8"))["case"]
    case = sorted(closed.values(), key=lambda c: c["id"])[0]
    short = case["id"].replace("-", "")[:8]
    receipt = fielddesk_bytes(
        "print", "receipt", short, "--format", "escpos", "--out", "-", data=sample_dir
    )
    assert f"Case number: {short.upper()}" in printed(receipt)
