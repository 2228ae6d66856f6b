"""The chart's fonts are the package's own (DejaVu Sans, with its licence), installed with it:
matplotlib, whose copies they were, is no longer a dependency."""

from __future__ import annotations

import importlib.resources
import tomllib
from pathlib import Path

from PIL import ImageFont

from aiprogress.digest import chart_draw

ROOT = Path(__file__).resolve().parents[2]
FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")


def bundled_fonts() -> Path:
    folder = importlib.resources.files("aiprogress.digest.data").joinpath("fonts")
    assert isinstance(folder, Path)
    return folder


def test_the_fonts_and_their_licence_are_package_resources() -> None:
    folder = bundled_fonts()
    for name in (*FACES, "LICENSE_DEJAVU", "ORIGIN.md"):
        assert folder.joinpath(name).is_file(), name
    assert "Bitstream Vera" in folder.joinpath("LICENSE_DEJAVU").read_text(encoding="utf-8")


def test_the_wheel_carries_the_fonts() -> None:
    # What setuptools puts in a (non-editable) wheel besides modules: the package-data globs,
    # taken relative to the package's folder.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["aiprogress"]
    package = ROOT / "src" / "aiprogress"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    fonts = package / "digest" / "data" / "fonts"
    assert {fonts / name for name in (*FACES, "LICENSE_DEJAVU")} <= shipped
    assert "matplotlib" not in " ".join(config["project"]["dependencies"])


def test_the_chart_draws_cyrillic_with_the_bundled_faces() -> None:
    folder = chart_draw._font_folder()
    assert folder == bundled_fonts()
    fonts = chart_draw._Fonts(folder)
    for face, name in zip(("regular", "bold", "italic"), FACES, strict=True):
        font = fonts.get(11, face)
        # A FreeType face read from the bundled file, not Pillow's default bitmap font.
        assert isinstance(font, ImageFont.FreeTypeFont)
        assert Path(str(font.path)) == folder / name
        # Cyrillic has its own glyphs: none of them is the missing-glyph box.
        missing = font.getmask("\U000f0000").getbbox()
        for letter in "Жщыя":
            assert font.getlength(letter) > 0
            assert font.getmask(letter).getbbox() != missing, (face, letter)
    # 11 pt at 150 dpi: 23 px; Pillow's bitmap font has no size and is ~6 px a letter.
    assert fonts.get(11).getlength("Источники") > 9 * 10
