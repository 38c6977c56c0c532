"""The README screenshot: the demo page showing a notice, at a fixed viewport.

Run with LENTERA_UPDATE_SCREENSHOT=1 to write docs/screenshot.png; otherwise it is written to a temporary
folder and only checked."""

import os
import struct
from pathlib import Path

import pytest
from lentera_e2e import QUERIES, REPO

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 900, "height": 720}  # tall enough for the whole Indonesian notice
COUNTRY = "ID"


def test_readme_screenshot(browsing, tmp_path):
    web = browsing(viewport=VIEWPORT, device_scale_factor=1, reduced_motion="reduce", color_scheme="light")
    web.open(f"/?country={COUNTRY}", server="demo")
    box = web.page.locator("input[data-lentera]")
    box.press_sequentially(QUERIES[COUNTRY][0], delay=20)
    web.wait_shown("#" + box.get_attribute("id"), timeout=120_000)
    web.must("() => document.fonts.ready.then(() => true)")
    update = os.environ.get("LENTERA_UPDATE_SCREENSHOT")
    out = REPO / "docs" / "screenshot.png" if update else tmp_path / "screenshot.png"
    web.page.screenshot(path=str(out), animations="disabled", caret="hide")
    data = Path(out).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (VIEWPORT["width"], VIEWPORT["height"])
    # The whole notice is inside the viewport, so the picture shows it.
    box_of_notice = web.page.locator("lentera-notice").bounding_box()
    assert box_of_notice and box_of_notice["y"] + box_of_notice["height"] <= VIEWPORT["height"], box_of_notice
