"""When Pyodide cannot be loaded (its files answer 404), the host's search box keeps working,
`lentera:error` fires on document, and nothing uncaught is thrown."""

import re

import pytest
from lentera_e2e import QUERIES

pytestmark = pytest.mark.e2e

PYODIDE_FILE = re.compile(r"pyodide|python_stdlib|\.wasm$|\.whl$|\.zip$", re.I)


def test_pyodide_404_fails_visibly_and_locally(web):
    refused = []

    def not_found(route):
        path = route.request.url.split("?", 1)[0]
        if PYODIDE_FILE.search(path.rsplit("/lentera/", 1)[-1]):
            refused.append(path)
            route.fulfill(status=404, body="not found")
        else:
            route.fallback()

    web.context.route("**/lentera/**", not_found)  # context routes reach the worker's requests too
    web.open("/host-ID.html")
    box = web.page.locator("#q")
    box.press_sequentially(QUERIES["ID"][0], delay=20)
    web.must("() => window.__lt.events.some((e) => e.type === 'lentera:error')", timeout=120_000)
    assert refused, "no Pyodide file was requested: the route matched nothing"
    [error] = web.events("lentera:error")
    assert error["target"] == "document"
    assert web.events("lentera:ready") == []
    # The search box still works: it takes text and the host's own submit handler runs.
    box.press("Control+a")
    box.press_sequentially("jadwal kereta", delay=20)
    assert box.input_value() == "jadwal kereta"
    box.press("Enter")
    web.must("() => window.hostSubmits === 1")
    assert not web.notice()["visible"]
    assert web.page.evaluate("window.lentera.ready.then(() => 'resolved', () => 'rejected')") == "rejected"
    assert web.rec.page_errors == [], web.rec.page_errors
    # Only the browser's own "Failed to load resource" lines may appear; none carries the query.
    assert all(QUERIES["ID"][0] not in m for m in web.rec.console)
    assert all("Failed to load resource" in m for m in web.rec.console), web.rec.console
