"""The notice fragment: deterministic (snapshot), escaped, resources in the right order, never the query."""

import json
import os
from pathlib import Path

import pytest

from lentera import runtime
from lentera.compile import dumps
from lentera.notice import notice_language, render_notice

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize(("lang", "category"), [("en", "sexual"), ("id", "domestic")])
def test_snapshot(fixture_bundle: dict, lang: str, category: str) -> None:
    html = render_notice(fixture_bundle["countries"]["XX"], lang, category)
    path = SNAPSHOTS / f"notice_XX_{lang}_{category}.html"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(html + "\n", encoding="utf-8")
    assert html + "\n" == path.read_text(encoding="utf-8")


def test_content(fixture_bundle: dict) -> None:
    html = render_notice(fixture_bundle["countries"]["XX"], "en", "sexual")
    assert html.startswith('<section class="lentera-notice" lang="en" data-country="XX" data-category="sexual">')
    assert "Line A &lt;test&gt;" in html  # autoescaped
    assert 'href="tel:111"' in html and 'href="https://wa.me/10000000000"' in html
    assert "Unverified line" not in html  # never shown
    assert html.index("Line B") < html.index("Line A")  # serves the category first
    domestic = render_notice(fixture_bundle["countries"]["XX"], "en", "domestic")
    assert domestic.index("Line A") < domestic.index("Line B")
    assert html.index("Line A") < html.index("tel:999")  # emergency last
    assert 'rel="noopener noreferrer"' in html


def test_notice_language(fixture_bundle: dict) -> None:
    country = fixture_bundle["countries"]["XX"]
    assert notice_language(country, "en-SG") == "en"
    assert notice_language(country, "ko") == "id"  # the default
    assert notice_language(country, None) == "id"


def test_runtime_never_returns_the_query(fixture_bundle: dict) -> None:
    runtime.load(dumps(fixture_bundle))
    result = runtime.check("suami mukul aku SECRETWORD", "xx", "en")
    assert result["show"] and result["category"] == "domestic" and result["lang"] == "en"
    assert "SECRETWORD" not in json.dumps(result) and "secretword" not in json.dumps(result)
    assert runtime.check("hello", "XX")["html"] is None
    assert runtime.check("kdrt", "ZZ")["show"] is False
