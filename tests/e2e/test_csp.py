"""A host page served with the strict Content-Security-Policy of issue 3 works, with no violation."""

import pytest
from lentera_e2e import CSP, QUERIES

pytestmark = pytest.mark.e2e


def test_strict_csp_page_works_without_violations(web):
    response = web.open("/host-ID.html", server="csp")
    assert response.headers.get("content-security-policy") == CSP, response.headers
    web.wait_ready()
    web.page.locator("#q").fill(QUERIES["ID"][0])
    shown = web.wait_shown()
    assert shown["tels"], "the notice rendered without its hotline links"
    # The notice is styled: its stylesheet was not blocked (a blocked sheet leaves the default inline box).
    assert web.page.evaluate(
        "getComputedStyle(document.querySelector('#q').nextElementSibling).display") != "inline"
    web.page.locator("#q").fill(QUERIES["ID"][1])
    web.wait_hidden()
    violations = web.page.evaluate("window.__lt.csp")
    assert violations == [], violations
    csp_console = [m for m in web.rec.console if "Content Security Policy" in m or "Refused to" in m]
    assert csp_console == [], csp_console
    assert web.rec.page_errors == []
    assert web.events("lentera:error") == []
