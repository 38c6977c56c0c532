"""`lentera build` and `lentera serve` without a browser: the bundle's layout, hashes, manifest and lock file,
and the server's MIME types, caching and security headers. (The browser side is tests/e2e/.)"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from lentera.build import PYODIDE_VERSION, BuildError, build_bundle, repo_root
from lentera.serve import CSP, create_server

FIXTURES = Path(__file__).parent / "fixtures" / "lexicons"
pytestmark = pytest.mark.skipif(
    not (repo_root() / "node_modules" / "pyodide" / "package.json").is_file(),
    reason="node_modules/pyodide missing: run `npm ci` (scripts/setup.sh does)",
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("LENTERA_LEXICONS", str(FIXTURES))
    try:
        return build_bundle(["XX"], tmp_path_factory.mktemp("b") / "build")
    finally:
        mp.undo()


def _config(bundle: Path) -> dict:
    loader = (bundle / "lentera.js").read_text(encoding="utf-8")
    m = re.search(r"const BUILD = (\{.*?\});\n", loader)
    assert m, "the build config was not written into lentera.js"
    return json.loads(m.group(1))


def test_layout_and_config(bundle):
    config = _config(bundle)
    assert config["countries"]["XX"]["default"]
    for key in ("worker", "css"):
        assert (bundle / config[key]).is_file(), key
    # One lexicon file per country (a page fetches the ones it names), hashed like every asset.
    assert list(config["lexicons"]) == ["XX"]
    assert re.fullmatch(r"assets/lexicons/XX\.[0-9a-f]{10}\.json", config["lexicons"]["XX"])
    assert (bundle / config["lexicons"]["XX"]).is_file()
    p = config["pyodide"]
    assert p["indexURL"].startswith(f"assets/pyodide-{PYODIDE_VERSION}-")
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (bundle / p["indexURL"] / name).is_file(), name
    assert not (bundle / p["indexURL"] / "pyodide-lock.json").exists(), "the npm lock (357 packages) is not shipped"
    assert p["install"] == "loadPackage" and p["packages"] == ["lentera"]
    for wheel in p["wheels"]:
        assert (bundle / wheel).is_file(), wheel
    # Relative paths only: the loader resolves them against its own URL, so any prefix works.
    assert not any(v.startswith("/") for v in (config["worker"], config["css"], p["indexURL"]))
    assert (bundle / "index.html").is_file()


def test_hashed_names_match_content(bundle):
    for path in bundle.rglob("*"):
        m = re.fullmatch(r"(.+)\.([0-9a-f]{10})\.(\w+)", path.name)
        if path.is_file() and m:
            assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(m.group(2)), path


def test_manifest_lists_every_file_with_size_and_sha384(bundle):
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(listed) == on_disk
    for rel, entry in listed.items():
        data = (bundle / rel).read_bytes()
        assert entry["size"] == len(data), rel
        assert entry["integrity"] == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode(), rel
        assert entry["role"] == ("demo" if rel == "index.html" or rel.startswith("demo/") else "widget"), rel
    assert manifest["countries"] == ["XX"] and manifest["pyodide"] == PYODIDE_VERSION
    assert manifest["widget_bytes"] == sum(f["size"] for f in manifest["files"] if f["role"] == "widget")


def test_lock_file_lists_only_the_bundled_wheels(bundle):
    p = _config(bundle)["pyodide"]
    lock = json.loads((bundle / p["lockFileURL"]).read_text(encoding="utf-8"))
    assert set(lock["packages"]) == {"lentera", "jinja2", "markupsafe"}
    assert lock["packages"]["lentera"]["depends"] == ["jinja2"]
    assert lock["packages"]["jinja2"]["depends"] == ["markupsafe"]
    for entry in lock["packages"].values():
        data = (bundle / p["packageBaseUrl"] / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        assert entry["file_name"].endswith("-py3-none-any.whl")


def test_lentera_wheel_holds_modules_and_templates(bundle):
    [wheel] = [w for w in bundle.rglob("lentera-*.whl")]
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert {"lentera/runtime.py", "lentera/notice.py", "lentera/matcher.py"} <= names
        assert any(n.startswith("lentera/templates/") and n.endswith(".j2") for n in names)
        # The source a reviewer reads, and beside each module its bytecode, compiled inside Pyodide (3.14) only.
        modules = {n for n in names if n.endswith(".py")}
        cached = {n for n in names if "__pycache__" in n}
        assert cached == {f"{m.rsplit('/', 1)[0]}/__pycache__/{m.rsplit('/', 1)[1][:-3]}.cpython-314.pyc"
                          for m in modules}
        assert "Requires-Dist: Jinja2" in z.read("lentera-0.1.0.dist-info/METADATA").decode()


def test_loader_and_worker_name_no_remote_host(bundle):
    config = _config(bundle)
    for rel in ("lentera.js", config["worker"], "index.html"):
        text = (bundle / rel).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!127\.0\.0\.1)", text), rel


def test_build_is_reproducible_and_refuses_foreign_folders(bundle, tmp_path, monkeypatch):
    monkeypatch.setenv("LENTERA_LEXICONS", str(FIXTURES))
    again = build_bundle(["XX"], tmp_path / "again")
    assert (again / "manifest.json").read_bytes() == (bundle / "manifest.json").read_bytes()
    build_bundle(["XX"], again)  # replacing a previous bundle is fine
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BuildError):
        build_bundle(["XX"], foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


@pytest.fixture(scope="module")
def served(bundle):
    def start(**flags) -> str:
        server = create_server(bundle, port=0, **flags)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    servers: list = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _get(url: str):
    with urllib.request.urlopen(url) as r:
        return r.status, r.headers, r.read()


def test_server_types_and_caching(bundle, served):
    base = served()
    config = _config(bundle)
    p = config["pyodide"]
    cases = {
        "lentera.js": ("text/javascript", "no-cache"),
        "": ("text/html", "no-cache"),
        "manifest.json": ("application/json", "no-cache"),
        config["worker"]: ("text/javascript", "immutable"),
        config["css"]: ("text/css", "immutable"),
        p["indexURL"] + "pyodide.mjs": ("text/javascript", "immutable"),
        p["indexURL"] + "pyodide.asm.wasm": ("application/wasm", "immutable"),
        p["wheels"][0]: ("application/zip", "immutable"),
    }
    for rel, (ctype, cache) in cases.items():
        status, headers, _ = _get(base + rel)
        assert status == 200
        assert headers["Content-Type"].startswith(ctype), (rel, headers["Content-Type"])
        assert cache in headers["Cache-Control"], (rel, headers["Cache-Control"])
        assert "Content-Security-Policy" not in headers
        assert headers["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(urllib.error.HTTPError) as err:
        _get(base + "assets/")
    assert err.value.code == 404, "no directory listings"


def test_server_csp_and_isolation_flags(served):
    base = served(csp=True)
    assert _get(base)[1]["Content-Security-Policy"] == CSP
    assert _get(base + "lentera.js")[1]["Content-Security-Policy"] == CSP  # governs the module worker too
    assert "Content-Security-Policy" not in _get(base + "manifest.json")[1]
    headers = _get(served(isolate=True))[1]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
