"""Session fixtures for the browser suite: one bundle, three loopback servers, one quiet Chromium.

See lentera_e2e.py for the layout served to the browser and the recorders every context carries.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from lentera_e2e import (
    CHROMIUM,
    COUNTRIES,
    LEXICONS,
    PAGES,
    QUIET_FLAGS,
    Browsing,
    load_lexicon,
    start_server,
)

# fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory) -> Path:
    """The bundle, built once: $LENTERA_BUNDLE if set (a build made by the test command), else built here."""
    prebuilt = os.environ.get("LENTERA_BUNDLE")
    if prebuilt:
        path = Path(prebuilt)
        assert (path / "lentera.js").is_file(), f"LENTERA_BUNDLE={prebuilt} has no lentera.js"
        return path
    from lentera.build import build_bundle

    countries = sorted(p.stem for p in LEXICONS.glob("*.toml"))
    out = build_bundle(countries, tmp_path_factory.mktemp("bundle") / "build")
    out = Path(out)
    assert (out / "lentera.js").is_file(), f"build_bundle wrote no lentera.js at the top of {out}"
    return out


@pytest.fixture(scope="session")
def site_dir(bundle_dir, tmp_path_factory) -> Path:
    """Host pages at /, the bundle at /lentera/ (the embed path of the contract)."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(bundle_dir, site / "lentera")
    template = (PAGES / "host.html.tmpl").read_text(encoding="utf-8")

    def host_page(name: str, lang: str | None, country: str | None, meta: dict[str, str] | None = None) -> None:
        """A host page: its <html lang>, the input's data-lentera-country and site-wide <meta>s (each optional)."""
        head = "".join(f'<meta name="{k}" content="{v}">\n' for k, v in (meta or {}).items())
        page = (template.replace("{{lang}}", f' lang="{lang}"' if lang else "").replace("{{head}}", head)
                .replace("{{country}}", f' data-lentera-country="{country}"' if country else ""))
        (site / name).write_text(page, encoding="utf-8")

    countries = sorted(p.stem for p in LEXICONS.glob("*.toml"))
    for cc in countries:
        lex = load_lexicon(cc)
        host_page(f"host-{cc}.html", lex["default_language"], cc)
        for lang in lex.get("languages", []):
            host_page(f"host-{cc}-{lang}.html", lang, cc)
        host_page(f"host-{cc}-fr.html", "fr", cc)
    # One page that asks for every country's lexicon (the site-wide list), for checks across countries.
    host_page("host-all.html", "id", "ID", {"lentera-countries": " ".join(countries)})
    # The country from the page (no attribute on the input): its language, the site-wide meta, or neither.
    host_page("lang-ko.html", "ko", None)
    host_page("lang-vi.html", "vi", None)
    host_page("meta-country.html", "en", None, {"lentera-country": "TH"})
    host_page("no-lang.html", None, None)
    for page in PAGES.iterdir():
        if page.suffix in (".html", ".js", ".css"):
            shutil.copy(page, site / page.name)
    return site


@pytest.fixture(scope="session")
def servers(site_dir, bundle_dir) -> dict:
    return {
        "site": start_server(site_dir),
        "csp": start_server(site_dir, csp=True),
        "demo": start_server(bundle_dir),
    }


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (the test command does this)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def browsing(chromium, servers):
    """A factory of fresh contexts; each one is checked for off-loopback attempts and closed at the end."""
    opened: list[Browsing] = []

    def make(**context_args) -> Browsing:
        b = Browsing(chromium, servers, **context_args)
        opened.append(b)
        return b

    yield make
    for b in opened:
        blocked = list(b.rec.blocked)
        b.close()
        assert not blocked, f"requests outside loopback were attempted: {blocked}"


@pytest.fixture
def web(browsing) -> Browsing:
    return browsing()


@pytest.fixture(scope="session")
def shipped_lexicons(bundle_dir) -> list[str]:
    """The compiled lexicons the bundle ships, one per country (what the worker loads), else compile_bundle()
    of the sources."""
    shipped = sorted((bundle_dir / "assets" / "lexicons").glob("*.json"))
    if shipped:
        return [p.read_text(encoding="utf-8") for p in shipped]
    from lentera.compile import compile_bundle

    return [json.dumps(compile_bundle())]


@pytest.fixture(scope="session")
def lexicons() -> dict:
    return {cc: load_lexicon(cc) for cc in COUNTRIES}

