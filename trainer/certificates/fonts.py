"""The certificate font: Debian's Noto Serif CJK SC cut down to GB2312, built at install time.

WeasyPrint subsets every embedded font with harfbuzz per document; with the full 65,000-glyph
Noto CJK collection that costs ≈ 0.1 s and ≈ 230 KB per certificate. Cut once to GB2312
(its 6,763 hanzi cover nearly every name on an ID card) plus ASCII and CJK punctuation, with
no hinting and no OpenType layout tables, the font is ≈ 2 MB and a certificate ≈ 50 KB.
Characters outside the subset still render: the stylesheet falls back to the system Noto
CJK per glyph (slower, but correct); with no subset font at all, everything does.

`make install` runs `python -m trainer.certificates.fonts` (idempotent, ≈ 1 min).
"""

import sys
from pathlib import Path

from trainer.config import DEFAULT_INSTANCE

SYSTEM_FONTS = Path("/usr/share/fonts/opentype/noto")
# One weight only: a second embedded font costs ≈ 15 ms and 25 KB per certificate, and the
# design (title in red at 34 pt, the name underlined) needs no bold.
SOURCES = {
    "regular": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
}
FONT_DIR = DEFAULT_INSTANCE / "fonts"
FAMILY = "Certificate Serif SC"
# Part of the file name: changing how the font is cut makes `make install` build it afresh.
FONT_VERSION = 2


def font_path(weight: str, directory: Path = FONT_DIR) -> Path:
    return directory / f"certificate-serif-sc-{weight}.v{FONT_VERSION}.otf"


def gb2312_characters() -> str:
    """Every character GB2312 encodes (rows 1–9 symbols, 16–87 hanzi), decoded from the codec."""
    chars = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def subset_unicodes() -> set[int]:
    text = gb2312_characters()
    codepoints = {ord(c) for c in text}
    codepoints |= set(range(0x20, 0x7F))  # ASCII: serials, codes, URLs
    codepoints |= set(range(0x3000, 0x3040))  # CJK punctuation
    codepoints |= set(range(0xFF01, 0xFF5F))  # full-width forms
    codepoints |= {0xA0, 0xB7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00D7}
    return codepoints


def build_font(weight: str, directory: Path = FONT_DIR) -> Path:
    # Heavy, and needed only at install time (`make install` builds the font): not at start-up.
    from fontTools import subset  # noqa: PLC0415
    from fontTools.ttLib import TTCollection  # noqa: PLC0415

    file_name, family = SOURCES[weight]
    collection = TTCollection(str(SYSTEM_FONTS / file_name), lazy=True)
    source = next(font for font in collection.fonts if font["name"].getDebugName(1) == family)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    # No OpenType layout: WeasyPrint drops GSUB/GPOS from embedded fonts anyway, and the
    # closure over Noto CJK's huge GSUB is most of the build time.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset_unicodes())
    subsetter.subset(source)
    # Rename, so fontconfig never confuses it with the full system family.
    for record in source["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
    target = font_path(weight, directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    source.save(str(tmp))
    tmp.replace(target)
    return target


def main(argv: list[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else FONT_DIR
    if not (SYSTEM_FONTS / SOURCES["regular"][0]).exists():
        print("fonts-noto-cjk is not installed; certificates will use any system CJK font")
        return 0
    for weight in SOURCES:
        target = font_path(weight, directory)
        if target.exists():
            continue
        built = build_font(weight, directory)
        print(f"built {built} ({built.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
