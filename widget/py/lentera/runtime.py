"""What the browser worker calls: load the compiled lexicons once, then check queries.

Pure Python with no browser imports, so the same code runs (and is tested) in CPython and in Pyodide.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from lentera.compile import PACKED_FORMAT, unpack_country, unpack_strings
from lentera.matcher import Matcher
from lentera.notice import notice_language, prepare, render_notice

__all__ = ["check", "countries", "load", "matcher", "prepare"]  # prepare: Jinja2 and the template, after ready

_countries: dict[str, dict[str, Any]] = {}
_matchers: dict[str, Matcher] = {}
_packed: dict[str, Any] = {}  # a packed bundle's phrase table ("strings"), until the first matcher decodes it
_strings: list[str] = []  # ...decoded, shared by every country


def load(compiled_json: str) -> list[str]:
    """Load a compiled bundle (compile.dumps: packed, or compile_bundle's form); returns the countries it holds.

    Only the JSON is parsed here: a country's phrase list is unpacked when its matcher is first built, so a page
    pays for the countries it uses.
    """
    bundle = json.loads(compiled_json)
    _countries.clear()
    _matchers.clear()
    _render.cache_clear()
    _packed.clear()
    _strings.clear()
    _countries.update(bundle["countries"])
    if bundle.get("format") == PACKED_FORMAT:
        _packed["strings"] = bundle["strings"]
    return countries()


def matcher(country: str) -> Matcher:
    """A country's matcher, built on first use: a page needs one country, and building costs CPU, not network."""
    if country not in _matchers:
        if _packed:
            _strings.extend(unpack_strings(_packed))
            _packed.clear()  # the decoded table replaces the packed text
        _matchers[country] = Matcher(unpack_country(_countries[country], _strings))
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
