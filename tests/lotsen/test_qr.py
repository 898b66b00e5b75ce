"""QR codes on paper: a real reader gets the link back; the caption speaks the chosen languages."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import cairosvg
import pytest
import zxingcpp
from PIL import Image

from bot.lotsen.qr import XML_LANG, QrError, captions, find_font, font_covers, write_qr

LINK = "https://t.me/wegweiser_bot?start=Rk7m2qpSrostock-mbe-awo"


def decode(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_png_decodes_to_the_link(tmp_path: Path) -> None:
    out = tmp_path / "flyer.png"
    write_qr(LINK, out, captions(["ar", "de"]), footer=[LINK])
    assert decode(Image.open(out)) == [LINK]


def test_svg_decodes_to_the_link(tmp_path: Path) -> None:
    out = tmp_path / "flyer.svg"
    write_qr(LINK, out, captions(["uk", "de"]), footer=[LINK])
    png = cairosvg.svg2png(url=str(out))
    assert decode(Image.open(io.BytesIO(png))) == [LINK]


def test_svg_caption_in_each_language_with_its_direction(tmp_path: Path) -> None:
    out = tmp_path / "flyer.svg"
    write_qr(LINK, out, captions(["fa", "ru"], start_message="!start Rk7m2qp"))
    texts = ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")
    by_lang: dict[str, list[ET.Element]] = {}
    for element in texts:
        by_lang.setdefault(element.get(XML_LANG, ""), []).append(element)
    persian = " ".join(element.text or "" for element in by_lang["fa"])
    russian = " ".join(element.text or "" for element in by_lang["ru"])
    assert {element.get("direction") for element in by_lang["fa"]} == {"rtl"}
    assert {element.get("direction") for element in by_lang["ru"]} == {"ltr"}
    assert "اسکن" in persian and "!start Rk7m2qp" in persian
    assert "Отсканируйте" in russian and "!start Rk7m2qp" in russian


def test_png_grows_with_each_caption_language(tmp_path: Path) -> None:
    one, three = tmp_path / "one.png", tmp_path / "three.png"
    write_qr(LINK, one, captions(["de"]))
    write_qr(LINK, three, captions(["de", "ar", "tr"]))
    assert Image.open(three).height > Image.open(one).height
    assert decode(Image.open(three)) == [LINK]


def test_caption_font_writes_every_launch_script() -> None:
    text = "".join(line.text for line in captions(["de", "ar", "fa", "uk", "ru", "tr", "pl"]))
    assert font_covers(find_font(text), text)


def test_a_script_no_font_writes_gets_a_clear_answer() -> None:
    assert not font_covers(find_font("Hilfe"), "帮助")
    with pytest.raises(QrError, match="fonts-dejavu-core"):
        find_font("帮助")


def test_unknown_file_type_gets_a_clear_answer(tmp_path: Path) -> None:
    with pytest.raises(QrError, match=r"\.png or \.svg"):
        write_qr(LINK, tmp_path / "flyer.pdf", captions(["de"]))
