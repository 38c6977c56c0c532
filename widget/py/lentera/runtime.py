"""What the browser worker calls: load the compiled lexicons once, then check queries.

Pure Python with no browser imports, so the same code runs (and is tested) in CPython and in Pyodide.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from lentera.matcher import Matcher
from lentera.notice import notice_language, render_notice

_countries: dict[str, dict[str, Any]] = {}
_matchers: dict[str, Matcher] = {}


def load(compiled_json: str) -> list[str]:
    """Load a compiled bundle (compile.compile_bundle, as JSON); returns the countries it holds."""
    bundle = json.loads(compiled_json)
    _countries.clear()
    _matchers.clear()
    _render.cache_clear()
    _countries.update(bundle["countries"])
    return sorted(_countries)


def matcher(country: str) -> Matcher:
    """A country's matcher, built on first use: a page needs one country, and building costs CPU, not network."""
    if country not in _matchers:
        _matchers[country] = Matcher(_countries[country])
    return _matchers[country]


@lru_cache(maxsize=256)
def _render(country: str, lang: str, category: str) -> str:
    return render_notice(_countries[country], lang, category)


def check(text: str, country: str, lang: str | None = None) -> dict[str, Any]:
    """{show, category, lang, html}: the notice language follows `lang` when the lexicon has it."""
    cc = country.upper()
    if cc not in _countries:
        return {"show": False, "category": None, "lang": None, "html": None}
    decision = matcher(cc).check(text)
    notice_lang = notice_language(_countries[cc], lang)
    html = _render(cc, notice_lang, decision.category) if decision.show and decision.category else None
    return {"show": decision.show, "category": decision.category, "lang": notice_lang, "html": html}


def countries() -> list[str]:
    return sorted(_countries)
