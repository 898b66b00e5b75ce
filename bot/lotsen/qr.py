"""Printable QR codes with a short caption in the chosen languages, as PNG or SVG.

A Lotse hangs the page up in a shared flat or a counselling office; the caption tells people in
their own language what the code opens. Arabic and Persian need shaping and right-to-left order:
Pillow's raqm layout does both for PNG, and SVG viewers do it themselves given ``direction`` and
``xml:lang``.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont, features

from bot.i18n import translator

# Fonts that write Latin, Cyrillic, Arabic and Persian alike (Debian: fonts-dejavu-core).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
)
SVG_FONTS = "DejaVu Sans, Noto Sans, Noto Sans Arabic, Arial, sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PAGE_WIDTH = 1200
MARGIN = 60
CAPTION_SIZE = 40
FOOTER_SIZE = 26
LINE_GAP = 12
PARAGRAPH_GAP = 28
SVG_CHARS_PER_LINE = 48  # what fits PAGE_WIDTH at CAPTION_SIZE, on the safe side

ET.register_namespace("", SVG_NS)


class QrError(RuntimeError):
    """The QR code cannot be made as asked; the message says what to do."""


@dataclass(frozen=True)
class CaptionLine:
    lang: str
    text: str

    @property
    def direction(self) -> str:
        return "rtl" if translator(self.lang).rtl else "ltr"


def captions(langs: Sequence[str], start_message: str | None = None) -> list[CaptionLine]:
    """The caption, one paragraph per language; with the message to send where links need one."""
    lines = []
    for lang in dict.fromkeys(langs):
        t = translator(lang)
        text = t.gettext("Scan the code to chat with Wegweiser: help and counselling near you.")
        if start_message:
            text += " " + t.gettext("Then send this message: {message}").format(
                message=start_message
            )
        lines.append(CaptionLine(lang, text))
    return lines


def write_qr(
    data: str,
    out: Path,
    caption_lines: Sequence[CaptionLine],
    footer: Sequence[str] = (),
    font: Path | None = None,
) -> None:
    """Write the page as PNG or SVG, chosen by the file's suffix."""
    suffix = out.suffix.lower()
    if suffix == ".png":
        out.write_bytes(qr_png(data, caption_lines, footer, font))
    elif suffix == ".svg":
        out.write_text(qr_svg(data, caption_lines, footer), encoding="utf-8")
    else:
        raise QrError(f"Please name the file .png or .svg, not {out.name!r}.")


def _wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Greedy word wrap in logical order; the layout engine orders each line for display."""
    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def qr_png(
    data: str,
    caption_lines: Sequence[CaptionLine],
    footer: Sequence[str] = (),
    font: Path | None = None,
) -> bytes:
    """A print-ready PNG: the code, then the caption paragraphs, then the link in small print."""
    if any(line.direction == "rtl" for line in caption_lines) and not features.check("raqm"):
        raise QrError(
            "Arabic and Persian captions need Pillow's raqm layout (Debian: libfribidi0); "
            "write an .svg instead or leave these languages out."
        )
    font_path = font or find_font("".join(line.text for line in caption_lines))
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    caption_font = ImageFont.truetype(str(font_path), CAPTION_SIZE, layout_engine=layout)
    footer_font = ImageFont.truetype(str(font_path), FOOTER_SIZE, layout_engine=layout)
    qr_image = _qr_image(data)

    text_width = PAGE_WIDTH - 2 * MARGIN
    paragraphs = []
    for line in caption_lines:
        options = _text_options(line)

        def fits(candidate: str, options: dict = options) -> bool:
            return caption_font.getlength(candidate, **options) <= text_width

        paragraphs.append((options, _wrap(line.text, fits)))
    line_height = CAPTION_SIZE + LINE_GAP
    height = MARGIN + qr_image.height + PARAGRAPH_GAP
    height += sum(len(rows) * line_height + PARAGRAPH_GAP for _, rows in paragraphs)
    height += len(footer) * (FOOTER_SIZE + LINE_GAP) + MARGIN

    page = Image.new("RGB", (PAGE_WIDTH, height), "white")
    page.paste(qr_image, ((PAGE_WIDTH - qr_image.width) // 2, MARGIN))
    draw = ImageDraw.Draw(page)
    y = MARGIN + qr_image.height + PARAGRAPH_GAP
    for options, rows in paragraphs:
        for row in rows:
            draw.text(
                (PAGE_WIDTH / 2, y), row, fill="black", font=caption_font, anchor="ma", **options
            )
            y += line_height
        y += PARAGRAPH_GAP
    for row in footer:
        draw.text((PAGE_WIDTH / 2, y), row, fill="#333333", font=footer_font, anchor="ma")
        y += FOOTER_SIZE + LINE_GAP
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def _text_options(line: CaptionLine) -> dict[str, str]:
    if not features.check("raqm"):
        return {}
    return {"direction": line.direction, "language": line.lang}


def _qr_image(data: str) -> Image.Image:
    qr = segno.make(data, error="m", micro=False)
    modules, _ = qr.symbol_size(scale=1, border=4)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=max(4, (PAGE_WIDTH * 2 // 3) // modules), border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def qr_svg(data: str, caption_lines: Sequence[CaptionLine], footer: Sequence[str] = ()) -> str:
    """The same page as scalable SVG, for print shops and large posters."""
    qr = segno.make(data, error="m", micro=False)
    modules, _ = qr.symbol_size(scale=1, border=4)
    scale = (PAGE_WIDTH * 2 // 3) // modules
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True)
    code = ET.fromstring(buffer.getvalue())
    size = modules * scale
    code.set("x", str((PAGE_WIDTH - size) // 2))
    code.set("y", str(MARGIN))

    texts: list[ET.Element] = []
    y = MARGIN + size + PARAGRAPH_GAP
    for line in caption_lines:
        for row in _wrap(line.text, lambda candidate: len(candidate) <= SVG_CHARS_PER_LINE):
            y += CAPTION_SIZE
            element = _svg_text(row, y, CAPTION_SIZE, "#000000")
            element.set("direction", line.direction)
            element.set(XML_LANG, line.lang)
            texts.append(element)
            y += LINE_GAP
        y += PARAGRAPH_GAP
    for row in footer:
        y += FOOTER_SIZE
        texts.append(_svg_text(row, y, FOOTER_SIZE, "#333333"))
        y += LINE_GAP
    height = y + MARGIN

    root = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "width": str(PAGE_WIDTH),
            "height": str(height),
            "viewBox": f"0 0 {PAGE_WIDTH} {height}",
        },
    )
    ET.SubElement(root, f"{{{SVG_NS}}}rect", {"width": "100%", "height": "100%", "fill": "#fff"})
    root.append(code)
    root.extend(texts)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _svg_text(text: str, y: int, size: int, fill: str) -> ET.Element:
    element = ET.Element(
        f"{{{SVG_NS}}}text",
        {
            "x": str(PAGE_WIDTH // 2),
            "y": str(y),
            "text-anchor": "middle",
            "font-family": SVG_FONTS,
            "font-size": str(size),
            "fill": fill,
        },
    )
    element.text = text
    return element


def find_font(text: str) -> Path:
    """The first installed font that has a glyph for every letter of ``text``."""
    for path in FONT_CANDIDATES:
        if path.is_file() and font_covers(path, text):
            return path
    raise QrError(
        "No font found that writes all caption languages. Install the Debian package "
        "fonts-dejavu-core or pass a font file with --font."
    )


def font_covers(path: Path, text: str) -> bool:
    """True when no letter of ``text`` falls back to the font's empty-box glyph."""
    font = ImageFont.truetype(str(path), 24, layout_engine=ImageFont.Layout.BASIC)

    def glyph(char: str) -> bytes:
        image = Image.new("L", (40, 40))
        ImageDraw.Draw(image).text((4, 4), char, fill=255, font=font)
        return image.tobytes()

    missing = glyph("\ue000")  # a private-use character no font draws
    return all(glyph(char) != missing for char in set(text) if char.isalpha())
