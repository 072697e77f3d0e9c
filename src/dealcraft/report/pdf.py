"""PDF output through headless Chromium driven by Playwright (Debian's ``chromium`` package:
Playwright's own browser download is never used)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dealcraft.errors import DealcraftError

ENV = "DEALCRAFT_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = (
    "install it with `apt-get install chromium` (Debian/Ubuntu), or set DEALCRAFT_CHROMIUM to the "
    "path of a Chromium or Chrome executable"
)
VIEWPORT = {"width": 1000, "height": 1200}


def find_chromium() -> Path:
    """The Chromium executable: $DEALCRAFT_CHROMIUM, else the first of NAMES on PATH."""
    named = os.environ.get(ENV)
    if named:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise DealcraftError(f"{ENV}={named}: no executable there; {INSTALL}")
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise DealcraftError(f"--pdf needs Chromium, which is not installed (not on PATH): {INSTALL}")


def launch_args(executable: Path) -> dict:
    """Arguments for ``playwright.chromium.launch`` (also used by the browser tests)."""
    return {"executable_path": str(executable), "headless": True, "args": ["--no-sandbox"]}


def write_pdf(html: Path, pdf: Path, executable: Path, timeout_ms: int = 60_000) -> None:
    """Print ``html`` (a local file) to ``pdf`` once every chart has been drawn."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        raise DealcraftError("--pdf needs the playwright package: pip install playwright") from None
    try:
        with sync_playwright() as p:
            try:
                browser = p.chromium.launch(**launch_args(executable))
            except Error as e:
                why = _first(e)
                raise DealcraftError(f"cannot start Chromium ({executable}): {why}; {INSTALL}") from None
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(html.resolve().as_uri(), wait_until="load", timeout=timeout_ms)
                page.wait_for_selector("body[data-charts-ready]", state="attached", timeout=timeout_ms)
                page.emulate_media(media="print")
                page.pdf(
                    path=str(pdf),
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    scale=0.8,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=(
                        '<div style="font:8px sans-serif;width:100%;text-align:center;color:#777">'
                        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                    ),
                )
            finally:
                browser.close()
    except Error as e:
        raise DealcraftError(f"Chromium ({executable}) could not print the report: {_first(e)}") from None


def _first(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
