"""The privacy claim: what is typed never leaves the page, and nothing is kept.

From `lentera:ready` through twenty typed queries the context records zero requests (page and worker); no
request before that carries query text; storage, cookies and the URL are unchanged; the console stays
empty; no attribute, event detail or DOM text ever holds the query."""

import random
import urllib.parse

import pytest

pytestmark = pytest.mark.e2e

# Twenty queries for the Indonesian host page: help and none, each distinctive enough that finding it
# anywhere but in the input's value is a leak.
QUERIES = [
    "suami mukul aku terus",
    "pukul berapa buka puasa hari ini",
    "kdrt lapor ke mana jakarta",
    "resep rendang padang asli",
    "pacar maksa berhubungan badan",
    "jadwal kereta bandung surabaya",
    "pelecehan seksual di kantor",
    "harga tiket pesawat murah bali",
    "suami ancam sebar foto pribadi",
    "cara membuat kue nastar lembut",
    "diikuti orang asing tiap malam",
    "tugas sekolah matematika kelas lima",
    "istri dipukul mertua tiap hari",
    "cuaca besok di yogyakarta",
    "dijual ke luar negeri jadi pekerja",
    "kekerasan batu akik terbaik",
    "dinikahkan paksa umur lima belas",
    "nilai tukar rupiah ke dolar",
    "my husband beats me every night",
    "assault rifle game download",
]


EARLY = "suami mukul aku terus sampai memar"


def _forms(query: str) -> list[str]:
    """The ways a query could appear in a URL or body."""
    forms = {query, urllib.parse.quote(query), urllib.parse.quote_plus(query), query.replace(" ", "%20")}
    return [f for f in forms if f]


def _carries(request: dict, query: str) -> bool:
    url = urllib.parse.unquote_plus(request["url"])
    body = (request["post"] or b"").decode("utf-8", "replace")
    return any(f in request["url"] or f in url or f in body for f in _forms(query))


def test_typing_twenty_queries_sends_and_keeps_nothing(web):
    rng = random.Random(3)
    page = web.page
    release = web.hold_boot()
    web.open("/host-ID.html")
    box = page.locator("#q")
    # Typed before the worker is ready: it waits in the page and must not travel with the boot requests.
    box.press_sequentially(EARLY, delay=30)
    assert not page.evaluate("window.__lt.ready"), "ready before the first query: nothing tested"
    release()
    web.wait_ready()
    at_ready = web.rec.mark()
    before = web.state()
    before_requests = list(web.rec.requests)
    assert any("pyodide" in r["url"] for r in before_requests), "the boot was not recorded"

    shown = 0
    for query in QUERIES:
        box.press("Control+a")
        box.press("Backspace")
        for ch in query:
            box.press_sequentially(ch)
            page.wait_for_timeout(rng.randint(10, 60))  # human typing rhythm, through the debounce
        if rng.random() < 0.3:
            box.press("Enter")
        web.settle("ID")
        state = web.notice()
        shown += state["visible"]
        exposed = web.exposed()
        assert query not in exposed, f"{query!r} is in the DOM, an attribute or an event"
        if state["exists"]:
            assert query not in state["text"] and query not in state["html"]

    after = web.state()
    assert shown >= 5, f"only {shown} notices for the help queries: the widget was not exercised"
    assert web.rec.requests[at_ready:] == [], "requests after lentera:ready"
    for request in before_requests:
        for query in [EARLY, *QUERIES]:
            assert not _carries(request, query), (query, request["url"])
    assert after == before, "storage, cookies, IndexedDB, caches or the URL changed"
    assert (before["local"], before["session"], before["idb"], before["cookies"]) == ({}, {}, [], [])
    assert web.rec.console == [], "console output"
    assert web.rec.page_errors == []
    for query in [EARLY, *QUERIES]:
        assert all(query not in str(v) for v in after.values())
        assert query not in web.exposed()
