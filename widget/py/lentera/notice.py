"""Render the notice HTML fragment for (country, language, category) with Jinja2.

The template never receives the query: what a person typed cannot end up in the page through this module.
Autoescaping is on, and the output is deterministic (snapshot-tested).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

MAX_RESOURCES = 3  # a notice for someone in danger is read in seconds: the best three, then the emergency line
_TEMPLATES = Path(__file__).with_name("templates")


@cache
def _environment() -> jinja2.Environment:
    # Imported here, not at the top: in the browser, Jinja2's import (about 0.1 s) is kept off the path to
    # "ready"; the worker calls prepare() just after ready, before anyone has typed.
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def prepare() -> None:
    """Import Jinja2 and compile the template now, so the first notice does not wait for them."""
    _environment().get_template("notice.html.j2")


def notice_language(country: dict[str, Any], lang: str | None) -> str:
    """The page language if the lexicon has notices in it (exactly, then by base language), else the default."""
    if lang:
        wanted = lang.lower()
        for exact in (True, False):
            for candidate in country["languages"]:
                c = candidate.lower()
                if c == wanted if exact else c.split("-")[0] == wanted.split("-")[0]:
                    return candidate
    return country["default_language"]


def _localised(value: str | dict[str, str] | None, lang: str, default: str) -> str:
    if not value or isinstance(value, str):
        return value or ""
    return value.get(lang) or value.get(default) or value.get("en") or next(iter(value.values()))


def _serves(resource: dict[str, Any], category: str | None) -> bool:
    cats = resource.get("categories", [])
    return "all" in cats or (category is not None and category in cats)


def _view(resource: dict[str, Any], lang: str, default: str) -> dict[str, Any]:
    links = []
    if number := resource.get("whatsapp"):
        links.append({"kind": "whatsapp", "label": "WhatsApp", "href": "https://wa.me/" + number.lstrip("+")})
    if number := resource.get("sms"):
        links.append({"kind": "sms", "label": "SMS", "href": "sms:" + number})
    if url := resource.get("chat"):
        links.append({"kind": "chat", "label": "Chat", "href": url})
    if line_id := resource.get("line"):
        links.append({"kind": "line", "label": "LINE", "href": "https://line.me/R/ti/p/" + line_id.replace("@", "%40")})
    if url := resource.get("url"):
        links.append({"kind": "url", "label": resource.get("_website", ""), "href": url})
    ids = [f"KakaoTalk: {resource['kakaotalk']}"] if resource.get("kakaotalk") else []
    return {
        "name": _localised(resource.get("name"), lang, default),
        "operator": resource.get("operator", ""),
        "phone": resource.get("phone", ""),
        "tel": resource.get("tel", ""),
        "hours": _localised(resource.get("hours"), lang, default),
        "links": links,
        "ids": ids,
    }


def render_notice(country: dict[str, Any], lang: str | None = None, category: str | None = None) -> str:
    """The notice for a compiled country (see compile.py): resources serving `category` first."""
    lang = notice_language(country, lang)
    default = country["default_language"]
    text = country["notices"][lang]
    resources = [r for r in country["resources"] if not r.get("emergency")]
    resources.sort(key=lambda r: not _serves(r, category))  # stable: file order within each group
    views = []
    for r in resources[:MAX_RESOURCES]:
        view = _view({**r, "_website": text.get("website", "")}, lang, default)
        views.append(view)
    emergency = [_view(r, lang, default) for r in country["resources"] if r.get("emergency")]
    body = text.get("bodies", {}).get(category or "", text["body"])
    return _environment().get_template("notice.html.j2").render(
        country=country["country"], lang=lang, category=category, text=text, body=body,
        resources=views, emergency=emergency,
    ).strip()
