"""`lentera validate`: every rule a lexicon reviewer relies on, reported as file:line: key.path: message.

TOML parsers do not keep line numbers, so `_line_of` finds the line from the key path and the offending value:
good enough to send a reviewer to the right place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lentera.compile import compile_lexicon
from lentera.lexicon import CATEGORIES, Resource, from_data, load_data, read_toml
from lentera.normalize import normalize
from lentera.patterns import PatternError, expand, set_lookup

STALE_AFTER = dt.timedelta(days=548)  # 18 months
TOP_KEYS = {"country", "name", "languages", "default_language", "include", "sets", "categories", "exclusions",
            "notice", "resources"}
PACK_KEYS = {"sets", "categories", "exclusions"}
CATEGORY_KEYS = {"label", "terms", "combos"}
NOTICE_REQUIRED = {"title", "body", "action", "dismiss", "emergency", "hours", "website"}
NOTICE_KEYS = NOTICE_REQUIRED | {"bodies"}
RESOURCE_KEYS = set(Resource.__dataclass_fields__)
RESOURCE_REQUIRED = {"id", "name", "categories", "verified", "last_verified", "source"}
CONTACT_KEYS = ("tel", "whatsapp", "sms", "chat", "url", "line", "kakaotalk")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
SHORT_CODE = re.compile(r"^\d{3,12}$")
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{4})?(-[A-Z]{2})?$")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning" if self.warning else "error"
        return f"{self.path}:{self.line}: {kind}: {self.key}: {self.message}"


class _Checker:
    def __init__(self, path: Path, today: dt.date) -> None:
        self.path = path
        self.today = today
        self.lines = path.read_text(encoding="utf-8").splitlines()
        self.problems: list[Problem] = []

    def _line_of(self, key: str, value: object = None) -> int:
        """The line of `value` under the table `key` names (or of the key itself), 1-based; 0 when unknown."""
        parts = [p for p in re.split(r"[.\[\]]", key) if p]
        start = 0
        if parts and parts[0] == "resources" and len(parts) > 1 and parts[1].isdigit():
            headers = [i for i, line in enumerate(self.lines) if line.strip() == "[[resources]]"]
            if int(parts[1]) < len(headers):
                start = headers[int(parts[1])]
        else:
            for i, line in enumerate(self.lines):
                if line.strip().startswith("[") and all(p in line for p in parts[:2]):
                    start = i
                    break
        needles = [f'"{value}"'] if isinstance(value, str) and value else []
        needles.append(parts[-1] if parts else "")
        for needle in needles:
            for i in range(start, len(self.lines)):
                if needle and needle in self.lines[i]:
                    return i + 1
        return start + 1

    def error(self, key: str, message: str, value: object = None) -> None:
        self.problems.append(Problem(self.path, self._line_of(key, value), key, message))

    def warn(self, key: str, message: str, value: object = None) -> None:
        self.problems.append(Problem(self.path, self._line_of(key, value), key, message, warning=True))

    # --- rules -----------------------------------------------------------------------------------------------

    def unknown(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.error(f"{where}.{key}" if where else key, "unknown key")

    def country(self, data: dict[str, Any], merged: dict[str, Any]) -> None:
        self.unknown(data, TOP_KEYS, "")
        for key in ("country", "languages", "default_language", "notice", "resources"):
            if key not in data:
                self.error(key, "missing required key")
        if self.problems:
            return
        if data["country"] != self.path.stem:
            self.error("country", f"{data['country']!r} does not match the file name {self.path.stem}")
        for lang in data["languages"]:
            if not LANG_TAG.match(lang):
                self.error("languages", f"{lang!r} is not a BCP 47 tag", lang)
            if lang not in data["notice"]:
                self.error("notice", f"no notice text for {lang}")
        if data["default_language"] not in data["languages"]:
            self.error("default_language", "must be one of `languages`")
        for lang, text in data["notice"].items():
            self.unknown(text, NOTICE_KEYS, f"notice.{lang}")
            for key in sorted(NOTICE_REQUIRED - text.keys()):
                self.error(f"notice.{lang}.{key}", "missing required key")
        self.terms(merged)
        self.resources(data["resources"], list(merged.get("categories", {})))

    def pack(self, data: dict[str, Any]) -> None:
        self.unknown(data, PACK_KEYS, "")

    def terms(self, data: dict[str, Any]) -> None:
        categories = data.get("categories", {})
        for cid in CATEGORIES:
            if not any(categories.get(cid, {}).get("terms", {}).values()):
                self.error(f"categories.{cid}", "required category has no terms")
        sets = data.get("sets", {})
        lookup = set_lookup(sets)

        seen: dict[str, str] = {}
        exclusions = {
            normalize(p).text: lang for lang, pats in data.get("exclusions", {}).items() for p in pats
        }
        for cid, cat in categories.items():
            self.unknown(cat, CATEGORY_KEYS, f"categories.{cid}")
            for lang, patterns in cat.get("terms", {}).items():
                key = f"categories.{cid}.terms.{lang}"
                for pat in patterns:
                    try:
                        expand(pat, lang, lookup)
                    except (PatternError, RecursionError) as exc:
                        self.error(key, str(exc), pat)
                        continue
                    norm = normalize(pat).text
                    if norm in seen:
                        self.error(key, f"duplicate term {pat!r} (also in {seen[norm]})", pat)
                    seen[norm] = key
                    if norm in exclusions:
                        self.error(key, f"{pat!r} is also an exclusion", pat)
            for combo in cat.get("combos", []):
                for part in (p.strip() for p in combo.split("+")):
                    if part.startswith("@") and part[1:] not in sets:
                        self.error(f"categories.{cid}.combos", f"unknown set {part}", combo)

    def resources(self, resources: list[dict[str, Any]], categories: list[str]) -> None:
        ids: set[str] = set()
        verified = emergency = 0
        for i, r in enumerate(resources):
            where = f"resources[{i}]"
            self.unknown(r, RESOURCE_KEYS, where)
            for key in sorted(RESOURCE_REQUIRED - r.keys()):
                self.error(f"{where}.{key}", "missing required key")
            if r.get("id") in ids:
                self.error(f"{where}.id", f"duplicate id {r['id']!r}", r["id"])
            ids.add(r.get("id", ""))
            if not any(r.get(k) for k in CONTACT_KEYS):
                self.error(where, "no way to reach it: give tel, whatsapp, sms, chat, url, line or kakaotalk")
            if (tel := r.get("tel")) and not (E164.match(tel) or SHORT_CODE.match(tel)):
                self.error(f"{where}.tel", f"{tel!r} is not dialable: use E.164 (+62...) or digits only", tel)
            if (wa := r.get("whatsapp")) and not E164.match(wa):
                self.error(f"{where}.whatsapp", f"{wa!r} is not E.164", wa)
            if (sms := r.get("sms")) and not (E164.match(sms) or SHORT_CODE.match(sms)):
                self.error(f"{where}.sms", f"{sms!r} is not E.164 or a short code", sms)
            for key in ("url", "chat"):
                if (url := r.get(key)) and not str(url).startswith("https://"):
                    self.error(f"{where}.{key}", f"{url!r} is not an https URL", url)
            source = r.get("source", {})
            if "source" in r and not (isinstance(source, dict) and source.get("title")
                                      and (source.get("url") or source.get("citation"))):
                self.error(f"{where}.source", "needs a title and a url or citation")
            if (url := source.get("url") if isinstance(source, dict) else None) and not url.startswith("https://"):
                self.warn(f"{where}.source.url", "source is not https", url)
            for cat in r.get("categories", []):
                if cat != "all" and cat not in categories:
                    self.error(f"{where}.categories", f"unknown category {cat!r}", cat)
            date = r.get("last_verified")
            if "last_verified" in r and not isinstance(date, dt.date):
                self.error(f"{where}.last_verified", "must be a TOML date (2026-11-28)")
            elif isinstance(date, dt.date):
                if date > self.today:
                    self.error(f"{where}.last_verified", f"{date} is in the future")
                elif self.today - date > STALE_AFTER:
                    self.warn(f"{where}.last_verified", f"stale: last verified {date}, over 18 months ago")
            if r.get("verified"):
                verified += not r.get("emergency")
                emergency += bool(r.get("emergency"))
        if verified < 2:
            self.error("resources", "needs at least two verified resources besides the emergency number")
        if emergency < 1:
            self.error("resources", "needs a verified emergency resource (emergency = true)")


def validate_file(path: Path, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    checker = _Checker(path, today)
    try:
        data = read_toml(path)
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError and names the line
        return [Problem(path, int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0, "", str(exc))]
    if "country" not in data and path.parent.name == "common":
        checker.pack(data)
        return checker.problems
    for inc in data.get("include", []):
        inc_path = path.parent / inc
        if not inc_path.is_file():
            checker.error("include", f"{inc} not found", inc)
            return checker.problems
        if problems := validate_file(inc_path, today):
            return problems
    merged = load_data(path)
    checker.country(data, merged)
    if not checker.problems:
        try:  # what only compiling finds: a pattern or set that expands past the limit, an unknown set
            compile_lexicon(from_data(merged, path))
        except (PatternError, KeyError, RecursionError) as exc:
            checker.error("categories", f"does not compile: {exc}")
    return checker.problems
