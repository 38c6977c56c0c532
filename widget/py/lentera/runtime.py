"""What the browser worker calls: load the compiled lexicons once, then check queries.

Pure Python with no browser imports, so the same code runs (and is tested) in CPython and in Pyodide.
"""

from __future__ import annotations

import gc
import json
from functools import lru_cache
from typing import Any

from lentera import notice
from lentera.matcher import Matcher
from lentera.notice import notice_language, render_notice

__all__ = ["check", "countries", "load", "matcher", "prepare"]

_countries: dict[str, dict[str, Any]] = {}
_matchers: dict[str, Matcher] = {}
_prepared = False  # prepare() has run: a matcher built from now on builds its typo tables with it


def load(*compiled_json: str) -> list[str]:
    """Load compiled bundles (compile.dumps: packed, or compile_bundle's form; the browser gets one per country);
    returns the countries they hold. Only the JSON is parsed here: a country's matcher is built on first use."""
    global _prepared
    _prepared = False
    gc.unfreeze()  # the previous matchers (see matcher()) may be collected again
    _countries.clear()
    _matchers.clear()
    _render.cache_clear()
    for text in compiled_json:
        _countries.update(json.loads(text)["countries"])
    return countries()


def matcher(country: str) -> Matcher:
    """A country's matcher, built on first use: a page needs one country, and building costs CPU, not network."""
    if country not in _matchers:
        # The lexicon's objects live as long as the page: the collector is paused while a matcher is built, then
        # they are moved out of its reach (gc.freeze), so that no later collection walks them during a check.
        collecting = gc.isenabled()
        gc.disable()
        try:
            built = _matchers[country] = Matcher(_countries[country])
            if _prepared:  # after ready: build them now, with the matcher, not in the middle of a later check
                _ = built.typo_tables
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
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


def prepare() -> None:
    """What the first checks may need besides the matchers: Jinja2 and the notice template, and the typo tables
    of the matchers built so far. The browser worker calls it right after ready, so that none of it delays
    ready, and the first notice does not wait for it either."""
    global _prepared
    notice.prepare()
    for m in _matchers.values():
        _ = m.typo_tables
    _prepared = True
