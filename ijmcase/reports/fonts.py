"""Embedded fonts for PDF reports, chosen per script so names never turn into boxes.

Names in a case file come in Latin, Devanagari, Khmer and Thai script (and
more, later). No single font covers them all, so text is cut into runs by
script and each run gets its own embedded Noto font (``resources/fonts``,
SIL Open Font License, see OFL.txt there) through ReportLab paragraph
markup: :func:`markup` turns plain text into escaped markup with
``<font name=...>`` around each Devanagari, Khmer or Thai run.

Shaping. Devanagari and Khmer need a shaping engine (conjuncts, vowel signs
drawn before the consonant they follow, subscript consonants); without one,
"प्रिया" prints as its letters side by side with a visible virama. ReportLab
(4.1+) shapes text with HarfBuzz (``uharfbuzz``) when a paragraph style has
``shaping=1``, and the glyphs come out right, but its text layer loses the
characters of every glyph that has no Unicode value of its own (conjuncts,
reordered vowel signs): copy, search and ``pdftotext`` then give "या शमा"
for "प्रिया शर्मा". :func:`register_fonts` therefore installs two small
wrappers around ReportLab internals:

* words are shaped one font at a time (ReportLab shapes a word that mixes
  fonts with the first font's glyph numbers for all of it), Latin-only
  words are not shaped at all (faster; nothing to gain), and the original
  characters of each shaped piece are remembered;
* each shaped run of text is wrapped in a PDF ``/Span <</ActualText ...>>``
  marked-content sequence carrying those characters, so text extraction,
  search and screen readers get the real name.

If a future ReportLab moves those internals, or ``uharfbuzz`` is missing,
:data:`shaping_enabled` is False and text is drawn unshaped: the text layer
is right and Thai reads well, but Devanagari and Khmer clusters look
un-joined. ``tests/reports`` checks both the glyphs and the text layer.

Only the paragraph path is covered: plain strings drawn straight on a canvas
(chart labels) are not shaped, so callers put names in paragraphs. Scripts
beyond these four (Bengali, Tamil, Chinese ...) would need their own Noto
font added to :data:`SCRIPT_FONTS` and :func:`script_of`.

ReportLab's font registry is process-global and not thread-safe: build one
PDF at a time (the application's single worker thread does).
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ijmcase.domain.errors import IjmcaseError
from ijmcase.resources import resource_path

__all__ = [
    "BASE_BOLD",
    "BASE_FONT",
    "SCRIPT_FONTS",
    "FontsMissing",
    "Script",
    "font_runs",
    "has_complex_script",
    "markup",
    "register_fonts",
    "script_of",
    "shaping_enabled",
]

BASE_FONT = "NotoSans"
BASE_BOLD = "NotoSans-Bold"


class Script(StrEnum):
    DEVANAGARI = "devanagari"
    KHMER = "khmer"
    THAI = "thai"


# (regular, bold) font names per script; Latin (and Greek, Cyrillic,
# Vietnamese) is the base font.
SCRIPT_FONTS: dict[Script, tuple[str, str]] = {
    Script.DEVANAGARI: ("NotoSansDevanagari", "NotoSansDevanagari-Bold"),
    Script.KHMER: ("NotoSansKhmer", "NotoSansKhmer-Bold"),
    Script.THAI: ("NotoSansThai", "NotoSansThai-Bold"),
}

_FAMILIES: dict[str, tuple[str, str]] = {
    BASE_FONT: ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "NotoSansDevanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    "NotoSansKhmer": ("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf"),
    "NotoSansThai": ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
}

# Unicode blocks of each script (Devanagari Extended and Vedic Extensions,
# Khmer Symbols included).
_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0900, 0x097F, Script.DEVANAGARI),
    (0x0E00, 0x0E7F, Script.THAI),
    (0x1780, 0x17FF, Script.KHMER),
    (0x19E0, 0x19FF, Script.KHMER),
    (0x1CD0, 0x1CFF, Script.DEVANAGARI),
    (0xA8E0, 0xA8FF, Script.DEVANAGARI),
)
_FIRST_SCRIPT_CODEPOINT = 0x0900

_lock = threading.Lock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}
_shaped_fonts: frozenset[str] = frozenset(name for pair in SCRIPT_FONTS.values() for name in pair)
shaping_enabled = False
"""True once :func:`register_fonts` has switched HarfBuzz shaping on."""


class FontsMissing(IjmcaseError):
    """The report fonts are not where the installation put them."""

    code = "report_fonts_missing"


def script_of(ch: str) -> Script | None:
    """The complex script of one character, or None for Latin and neutral characters."""
    cp = ord(ch)
    if cp < _FIRST_SCRIPT_CODEPOINT:
        return None
    for low, high, script in _RANGES:
        if low <= cp <= high:
            return script
    return None


def has_complex_script(text: str) -> bool:
    return any(script_of(ch) is not None for ch in text)


def _neutral(ch: str) -> bool:
    # Spaces, digits, punctuation and joiners (ZWJ/ZWNJ) belong to no script:
    # they stay in the run around them when its font has the glyph.
    return not ch.isalpha()


def font_runs(text: str) -> list[tuple[Script | None, str]]:
    """Cut ``text`` into runs of one script each (None: the base font)."""
    register_fonts()
    runs: list[tuple[Script | None, list[str]]] = []
    for ch in text:
        script = script_of(ch)
        if script is None and _neutral(ch) and runs:
            current = runs[-1][0]
            if current is None or ord(ch) in _coverage[SCRIPT_FONTS[current][0]]:
                runs[-1][1].append(ch)
                continue
        if runs and runs[-1][0] is script:
            runs[-1][1].append(ch)
        else:
            runs.append((script, [ch]))
    return [(script, "".join(chars)) for script, chars in runs]


def markup(text: str, *, bold: bool = False) -> str:
    """Escaped paragraph markup for plain ``text``, each complex-script run in its font.

    Latin runs inherit the paragraph style's font, so pass ``bold=True``
    when the style is bold (a ``<font name>`` tag resets boldness).
    Newlines become line breaks.
    """
    if not has_complex_script(text):
        return escape(text).replace("\n", "<br/>")
    parts: list[str] = []
    for script, run in font_runs(text):
        body = escape(run).replace("\n", "<br/>")
        if script is None:
            parts.append(body)
        else:
            font = SCRIPT_FONTS[script][1 if bold else 0]
            parts.append(f'<font name="{font}">{body}</font>')
    return "".join(parts)


def register_fonts() -> None:
    """Register the embedded fonts with ReportLab once per process (idempotent)."""
    global _registered, shaping_enabled
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for family, (regular_file, bold_file) in _FAMILIES.items():
            regular, bold = family, _bold_name(family)
            for name, filename in ((regular, regular_file), (bold, bold_file)):
                path = resource_path("fonts", filename)
                if not path.is_file():
                    raise FontsMissing(
                        f"The report font {filename} is missing from {path.parent}; "
                        "reinstall ijmcase."
                    )
                font = TTFont(name, str(path))
                pdfmetrics.registerFont(font)
                _coverage[name] = frozenset(font.face.charToGlyph)
            # Register the family so <b> and ps2tt() resolve; there are no
            # italic faces, italic falls back to upright.
            addMapping(regular, 0, 0, regular)
            addMapping(regular, 1, 0, bold)
            addMapping(regular, 0, 1, regular)
            addMapping(regular, 1, 1, bold)
        shaping_enabled = _install_shaping()
        _registered = True


def _bold_name(family: str) -> str:
    return f"{family}-Bold"


# --- shaping with a correct text layer ---------------------------------------

# (font name, shaped glyph string) -> the characters it was shaped from.
# Bounded: names repeat, but a long-running process must not grow forever.
_sources: dict[tuple[str, str], str] = {}
_SOURCES_LIMIT = 50_000


def _install_shaping() -> bool:
    if importlib.util.find_spec("uharfbuzz") is None:
        return False
    try:
        from reportlab.pdfbase import ttfonts
        from reportlab.pdfgen import textobject
        from reportlab.platypus import paragraph
    except ImportError:  # pragma: no cover - reportlab itself is a dependency
        return False
    original_shape: Callable[..., Any] | None = getattr(paragraph, "shapeFragWord", None)
    text_class = getattr(textobject, "PDFTextObject", None)
    original_format: Callable[..., str] | None = getattr(text_class, "_formatText", None)
    shaped_str = getattr(ttfonts, "ShapedStr", None)
    make_word = getattr(ttfonts, "makeShapedFragWord", None)
    shaped_word = getattr(ttfonts, "ShapedFragWord", None)
    if (
        original_shape is None
        or original_format is None
        or shaped_str is None
        or make_word is None
        or shaped_word is None
        or getattr(ttfonts, "uharfbuzz", None) is None
    ):
        return False
    if getattr(original_shape, "_ijmcase", False):
        return True

    def shape_word(word: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(word, shaped_word):
            # Paragraphs are wrapped more than once; shape each word once.
            return word
        pieces = list(word[1:])
        if not any(
            getattr(frag, "fontName", None) in _shaped_fonts
            for frag, _ in pieces
            if not hasattr(frag, "cbDefn")
        ):
            return word
        groups = _group_by_font(pieces)
        if len(groups) == 1:
            shaped = original_shape(word, *args, **kwargs)
            _remember(word, shaped, shaped_str)
            return shaped
        width = 0.0
        out: list[Any] = []
        changed = False
        for group in groups:
            sub = [_width(group), *group]
            font_name = _font_of(group)
            result = original_shape(sub, *args, **kwargs) if font_name in _shaped_fonts else sub
            if result is not sub:
                changed = True
                _remember(sub, result, shaped_str)
            width += result[0]
            out.extend(result[1:])
        if not changed:
            return word
        return make_word(word)([width, *out])

    def format_text(self: Any, text: Any) -> str:
        code = original_format(self, text)
        if not _sources or not isinstance(text, shaped_str):
            return code
        glyphs = str(text)
        font_name = self._fontname
        actual = " ".join(_sources.get((font_name, token), token) for token in glyphs.split(" "))
        if actual == glyphs:
            return code
        hex_text = ("\ufeff" + actual).encode("utf-16-be").hex().upper()
        return f"/Span <</ActualText <{hex_text}>>> BDC {code} EMC"

    shape_word._ijmcase = True  # type: ignore[attr-defined]
    setattr(paragraph, "shapeFragWord", shape_word)  # noqa: B010 - the stubs omit it
    setattr(text_class, "_formatText", format_text)  # noqa: B010 - patching a class
    return True


def _group_by_font(pieces: list[Any]) -> list[list[Any]]:
    groups: list[list[Any]] = []
    current: str | None = None
    for piece in pieces:
        frag = piece[0]
        name = current if hasattr(frag, "cbDefn") else frag.fontName
        if groups and name == current:
            groups[-1].append(piece)
        else:
            groups.append([piece])
            current = name
    return groups


def _font_of(group: list[Any]) -> str | None:
    for frag, _ in group:
        if not hasattr(frag, "cbDefn"):
            name: str = frag.fontName
            return name
    return None


def _width(group: list[Any]) -> float:
    return sum(
        pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
        for frag, text in group
        if not hasattr(frag, "cbDefn")
    )


def _remember(word: Any, shaped: Any, shaped_str: Any) -> None:
    """Note which characters each shaped piece of ``word`` stands for."""
    if shaped is word:
        return
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    pieces: list[tuple[Any, Any]] = [
        (frag, s) for frag, s in shaped[1:] if isinstance(s, shaped_str) and s.__shapeData__
    ]
    starts = [s.__shapeData__[0].cluster for _, s in pieces]
    if len(_sources) > _SOURCES_LIMIT:
        _sources.clear()
    for index, (frag, glyphs) in enumerate(pieces):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        _sources[(frag.fontName, str(glyphs))] = text[starts[index] : end]
