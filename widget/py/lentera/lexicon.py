"""Read a country's lexicon (TOML, with its included term packs) into plain dataclasses.

Only reading happens here; every rule a reviewer cares about lives in validate.py, and expansion into phrases
lives in compile.py.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("domestic", "sexual", "harassment", "stalking", "online", "trafficking", "marriage")


@dataclass
class Category:
    id: str
    label: str = ""
    terms: dict[str, list[str]] = field(default_factory=dict)  # language -> patterns
    combos: list[str] = field(default_factory=list)


@dataclass
class Resource:
    id: str
    name: str | dict[str, str]
    phone: str = ""
    tel: str = ""
    operator: str = ""
    whatsapp: str = ""
    sms: str = ""
    line: str = ""
    kakaotalk: str = ""
    chat: str = ""
    url: str = ""
    hours: str | dict[str, str] = ""
    languages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    emergency: bool = False
    verified: bool = False
    last_verified: dt.date | None = None
    note: str = ""
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Lexicon:
    country: str
    name: str
    languages: list[str]
    default_language: str
    sets: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # set -> language -> patterns
    categories: dict[str, Category] = field(default_factory=dict)
    exclusions: dict[str, list[str]] = field(default_factory=dict)
    notices: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    path: Path | None = None


def lexicon_dir() -> Path:
    """Where the lexicons live: $LENTERA_LEXICONS, else ./lexicons, else the source checkout's lexicons/."""
    if env := os.environ.get("LENTERA_LEXICONS"):
        return Path(env)
    here = Path.cwd() / "lexicons"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "lexicons"


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def _merge_pack(data: dict[str, Any], pack: dict[str, Any]) -> None:
    """Add a term pack's sets, categories and exclusions after the country's own."""
    for name, by_lang in pack.get("sets", {}).items():
        target = data.setdefault("sets", {}).setdefault(name, {})
        for lang, items in by_lang.items():
            target[lang] = [*target.get(lang, []), *items]
    for cid, cat in pack.get("categories", {}).items():
        target = data.setdefault("categories", {}).setdefault(cid, {})
        target.setdefault("label", cat.get("label", ""))
        terms = target.setdefault("terms", {})
        for lang, items in cat.get("terms", {}).items():
            terms[lang] = [*terms.get(lang, []), *items]
        target["combos"] = [*target.get("combos", []), *cat.get("combos", [])]
    for lang, items in pack.get("exclusions", {}).items():
        excl = data.setdefault("exclusions", {})
        excl[lang] = [*excl.get(lang, []), *items]


def load_data(path: Path) -> dict[str, Any]:
    """The country file's data with its `include`d packs merged in."""
    data = read_toml(path)
    root = path.parent
    for inc in data.get("include", []):
        _merge_pack(data, read_toml(root / inc))
    return data


def from_data(data: dict[str, Any], path: Path | None = None) -> Lexicon:
    categories = {
        cid: Category(cid, cat.get("label", ""), dict(cat.get("terms", {})), list(cat.get("combos", [])))
        for cid, cat in data.get("categories", {}).items()
    }
    resources = [Resource(**{k: v for k, v in r.items()}) for r in data.get("resources", [])]
    return Lexicon(
        country=data["country"],
        name=data.get("name", data["country"]),
        languages=list(data["languages"]),
        default_language=data["default_language"],
        sets={k: dict(v) for k, v in data.get("sets", {}).items()},
        categories=categories,
        exclusions=dict(data.get("exclusions", {})),
        notices=dict(data.get("notice", {})),
        resources=resources,
        path=path,
    )


def load_lexicon(path: Path) -> Lexicon:
    return from_data(load_data(path), path)


def country_files(directory: Path | None = None) -> list[Path]:
    directory = directory or lexicon_dir()
    return sorted(p for p in directory.glob("*.toml") if p.stem.isupper() and len(p.stem) == 2)


def load_all(countries: list[str] | None = None, directory: Path | None = None) -> dict[str, Lexicon]:
    wanted = {c.upper() for c in countries} if countries else None
    out: dict[str, Lexicon] = {}
    for path in country_files(directory):
        if wanted is None or path.stem in wanted:
            out[path.stem] = load_lexicon(path)
    if wanted and (missing := wanted - out.keys()):
        raise FileNotFoundError(f"no lexicon for {', '.join(sorted(missing))}")
    return out
