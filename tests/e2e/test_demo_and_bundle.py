"""The demo page of `lentera serve`, and the bundle as a browser sees it: every file the visitor downloads
is listed in manifest.json with its size and SHA-384, served with a correct type and caching."""

import base64
import hashlib
import json
import re
import urllib.parse
import urllib.request

import pytest
from lentera_e2e import QUERIES, first_hotline, load_lexicon

pytestmark = pytest.mark.e2e

TYPES = {
    ".js": "javascript",
    ".mjs": "javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".css": "text/css",
    ".html": "text/html",
}


def test_demo_country_switcher_and_network_panel(web):
    web.open("/?country=KR", server="demo")
    box = web.page.locator("input[data-lentera]")
    assert box.count() == 1
    assert web.page.locator("script[type=module][src$='lentera.js']").count() == 1
    web.must("() => document.querySelector('input[data-lentera]').getAttribute('data-lentera-country') === 'KR'")
    assert "nothing" in web.page.locator("body").inner_text().lower()
    sel = "#" + box.get_attribute("id")
    box.press_sequentially(QUERIES["KR"][0], delay=20)
    shown = web.wait_shown(sel, timeout=120_000)
    [event] = web.events("lentera:notice")
    assert event["detail"]["country"] == "KR"
    expected = first_hotline(load_lexicon("KR"), event["detail"]["category"])
    assert expected.get("phone", "") in shown["text"]
    assert web.rec.page_errors == [] and web.rec.console == []


def _manifest_entries(manifest) -> dict:
    """{relative path: (size, integrity)} from manifest.json, whichever of the usual shapes it has."""
    files = manifest.get("files", manifest) if isinstance(manifest, dict) else manifest
    items = files.items() if isinstance(files, dict) else ((None, f) for f in files)
    out = {}
    for key, entry in items:
        path = key if key is not None else next(entry[k] for k in ("path", "name", "file") if k in entry)
        size = entry.get("size", entry.get("bytes"))
        out[path.lstrip("./")] = (size, entry.get("integrity", entry.get("sha384")))
    return out


def test_every_downloaded_file_is_in_the_manifest(web, servers):
    web.open("/host-ID.html")
    web.wait_ready()
    web.page.locator("#q").fill(QUERIES["ID"][0])
    web.wait_shown()
    base = servers["site"] + "/lentera/"
    with urllib.request.urlopen(base + "manifest.json") as r:
        manifest = _manifest_entries(json.load(r))
    fetched = sorted({r["url"].split("?")[0] for r in web.rec.requests if r["url"].startswith(base)})
    outside = [r["url"] for r in web.rec.requests
               if not r["url"].startswith(base) and not re.search(r"/host(-ID)?\.(html|js|css)$", r["url"])]
    assert outside == [], f"the widget fetched files outside its bundle: {outside}"
    assert any(u.endswith("/lentera.js") for u in fetched)
    assert len(fetched) >= 4, fetched
    for url in fetched:
        rel = urllib.parse.unquote(url[len(base):])
        assert rel in manifest, f"{rel} was downloaded but is not in manifest.json"
        size, integrity = manifest[rel]
        with urllib.request.urlopen(url) as r:
            body, headers = r.read(), r.headers
        assert size == len(body), (rel, size, len(body))
        assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode(), rel
        suffix = "." + rel.rsplit(".", 1)[-1]
        if suffix in TYPES:
            assert TYPES[suffix] in headers.get("Content-Type", ""), (rel, headers.get("Content-Type"))
        cache = headers.get("Cache-Control", "")
        if rel == "lentera.js":
            assert "immutable" not in cache, "the stable entry point must not be cached as immutable"
        elif re.search(r"[.-][0-9a-f]{8,}[.-]", rel.rsplit("/", 1)[-1]):
            max_age = re.search(r"max-age=(\d+)", cache)
            assert max_age and int(max_age.group(1)) >= 86400 * 30, (rel, cache)
