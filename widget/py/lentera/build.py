"""`lentera build`: the self-contained static bundle a site owner copies to any static host.

Layout (every name under assets/ and demo/ carries a content hash, so it can be cached forever; the loader
finds them relative to its own URL, so the bundle works under any path prefix):

    lentera.js                          the loader; stable name, the only URL a host page refers to
    manifest.json                       every other file with its size and SHA-384 (`integrity` format)
    index.html, demo/demo.<h>.{js,css}  the demo page (not needed by a host site)
    assets/worker.<h>.js                the module Web Worker
    assets/lentera.<h>.css              the notice styles (adopted inside the notice's shadow root)
    assets/lexicons.<h>.json            compiled lexicons (lentera.compile)
    assets/pyodide-<version>-<h>/       the Pyodide core from node_modules/pyodide, byte for byte
    assets/packages-<h>/                the wheels (lentera, Jinja2, pure MarkupSafe) and a lock file listing
                                        only them

Everything comes from this checkout: node_modules/pyodide (pinned in package.json, installed by `npm ci`),
widget/vendor/ (wheels checked against SHA256SUMS) and the lentera wheel written here from widget/py. A
missing file stops the build with an error; nothing is ever fetched at build time or pointed at a CDN.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import tempfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

PYODIDE_VERSION = "314.0.7"
# What the worker loads from the Pyodide core. The npm package's own pyodide-lock.json is not copied: it lists
# 357 packages this bundle does not ship; the worker gets a lock file that lists only the bundled wheels.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

# How the worker installs the wheels. Both were measured in headless Chromium (see docs/embed.md):
# "loadPackage" (the packages are fetched while the interpreter boots, from the trimmed lock file) was faster
# than "micropip" (which must first load micropip and packaging, then install after boot).
INSTALL = "loadPackage"

# The vendored wheels the worker needs, by install method: lock-file name -> (imports, depends).
_LOCK_INFO: dict[str, tuple[list[str], list[str]]] = {
    "markupsafe": (["markupsafe"], []),
    "jinja2": (["jinja2"], ["markupsafe"]),
    "micropip": (["micropip"], []),
    "packaging": (["packaging"], []),
    "lentera": (["lentera"], ["jinja2"]),
}
_VENDORED = {
    "loadPackage": ["jinja2", "markupsafe"],
    "micropip": ["jinja2", "markupsafe", "micropip", "packaging"],
}

_PLACEHOLDER = "/*LENTERA_BUILD*/ null"
_DEMO_FILES = ("index.html", "demo/")
_WHEEL_NAME = re.compile(r"^(?P<name>[A-Za-z0-9_.]+)-(?P<version>[^-]+)-py3-none-any\.whl$")


class BuildError(ValueError):
    """A bundle cannot be built (missing input, bad lexicon). A ValueError so the CLI reports it plainly."""


def repo_root() -> Path:
    """The source checkout this module runs from: the bundle is built from its files, not site-packages."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "widget" / "static" / "lentera.js").is_file():
        raise BuildError(f"`lentera build` needs the source checkout (widget/static/ not found under {root})")
    return root


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _short(digest_hex: str) -> str:
    return digest_hex[:10]


def _integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _dir_hash(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return _short(h.hexdigest())


# ------------------------------------------------------------------------------------------------ inputs


def _validate_lexicons(countries: list[str] | None) -> None:
    from lentera.lexicon import country_files, lexicon_dir
    from lentera.validate import validate_file

    wanted = {c.upper() for c in countries} if countries else None
    errors = []
    for path in country_files(lexicon_dir()):
        if wanted is None or path.stem in wanted:
            errors += [str(p) for p in validate_file(path) if not p.warning]
    if errors:
        raise BuildError("lexicon errors (see `lentera validate`):\n" + "\n".join(errors))


def _compiled_lexicons(countries: list[str] | None) -> tuple[str, dict[str, Any]]:
    from lentera.compile import compile_bundle, dumps

    bundle = compile_bundle(countries)
    if not bundle["countries"]:
        raise BuildError("no lexicons found (lexicons/CC.toml)")
    info = {
        cc: {"name": c["name"], "languages": c["languages"], "default": c["default_language"]}
        for cc, c in sorted(bundle["countries"].items())
    }
    return dumps(bundle), info


def _pyodide_core(root: Path) -> dict[str, bytes]:
    pkg = root / "node_modules" / "pyodide"
    meta = pkg / "package.json"
    if not meta.is_file():
        raise BuildError(f"Pyodide not installed ({pkg} missing): run `npm ci` in {root}")
    version = json.loads(meta.read_text(encoding="utf-8"))["version"]
    if version != PYODIDE_VERSION:
        raise BuildError(f"node_modules/pyodide is {version}, not {PYODIDE_VERSION}: run `npm ci`")
    files = {}
    for name in PYODIDE_FILES:
        path = pkg / name
        if not path.is_file():
            raise BuildError(f"Pyodide file missing: {path}")
        files[name] = path.read_bytes()
    return files


def _vendored_wheels(root: Path, names: list[str]) -> dict[str, bytes]:
    vendor = root / "widget" / "vendor"
    sums = {}
    for line in (vendor / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, file_name = line.split()
            sums[file_name.lstrip("*")] = digest
    wheels = {}
    for name in names:
        matches = [f for f in sums if f.lower().startswith(name + "-")]
        if len(matches) != 1:
            raise BuildError(f"widget/vendor/SHA256SUMS must list exactly one {name} wheel, found {matches}")
        path = vendor / matches[0]
        if not path.is_file():
            raise BuildError(f"vendored wheel missing: {path}")
        data = path.read_bytes()
        if _sha256(data) != sums[matches[0]]:
            raise BuildError(f"{path} does not match its sha256 in widget/vendor/SHA256SUMS")
        wheels[matches[0]] = data
    return wheels


def _lentera_wheel(root: Path) -> tuple[str, bytes]:
    """The pure-Python wheel of `lentera`, written directly from the source tree.

    A wheel of pure modules is a zip with three metadata files, so it is written here instead of through
    setuptools: no build dependencies, no network, no setuptools `build/` folder in the checkout, and fixed
    timestamps, so the same sources give the same bytes (and the same hashed folder name) every time.
    It holds what setuptools would install: the package's modules and its declared package data.
    """
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    name, version = meta["name"], meta["version"]
    package_data = project.get("tool", {}).get("setuptools", {}).get("package-data", {}).get(name, [])
    src = root / "widget" / "py" / name
    members: dict[str, bytes] = {}
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if not path.is_file() or "__pycache__" in rel.parts:
            continue
        if path.suffix == ".py" or any(rel.match(pattern) for pattern in package_data):
            members[f"{name}/{rel.as_posix()}"] = path.read_bytes()
    dist_info = f"{name}-{version}.dist-info"
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if meta.get("description"):
        lines.append(f"Summary: {meta['description']}")
    if meta.get("requires-python"):
        lines.append(f"Requires-Python: {meta['requires-python']}")
    lines += [f"Requires-Dist: {req}" for req in meta.get("dependencies", [])]
    members[f"{dist_info}/METADATA"] = ("\n".join(lines) + "\n").encode()
    members[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: lentera build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    members[f"{dist_info}/top_level.txt"] = f"{name}\n".encode()
    record = [
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for path, data in members.items()
    ]
    members[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            wheel.writestr(info, data)
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


def _lock_file(core_lock: Path, wheels: dict[str, bytes]) -> bytes:
    """A pyodide-lock.json listing only the bundled wheels, so loadPackage resolves nothing else."""
    info = json.loads(core_lock.read_text(encoding="utf-8"))["info"]
    packages = {}
    for file_name, data in sorted(wheels.items()):
        m = _WHEEL_NAME.match(file_name)
        if not m:
            raise BuildError(f"not a pure wheel: {file_name}")
        key = m["name"].lower().replace("_", "-")
        imports, depends = _LOCK_INFO[key]
        packages[key] = {
            "name": key,
            "version": m["version"],
            "file_name": file_name,
            "install_dir": "site",
            "sha256": _sha256(data),
            "package_type": "package",
            "imports": imports,
            "depends": depends,
            "unvendored_tests": False,
            "tool": {},
        }
    return (json.dumps({"info": info, "packages": packages}, indent=1, sort_keys=True) + "\n").encode()


# ------------------------------------------------------------------------------------------------ output


def _hashed(name: str, data: bytes) -> str:
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{_short(_sha256(data))}.{ext}"


def _prepare_out(out: Path) -> Path:
    """A fresh temporary folder beside `out`; refuses to replace a non-empty folder that is not a bundle."""
    out = out.resolve()
    if out.exists():
        if not out.is_dir():
            raise BuildError(f"{out} exists and is not a folder")
        manifest = out / "manifest.json"
        marker = '"generator": "lentera build"'
        is_bundle = manifest.is_file() and marker in manifest.read_text(encoding="utf-8")
        if any(out.iterdir()) and not is_bundle:
            raise BuildError(f"{out} is not empty and holds no Lentera bundle: refusing to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))


def build_bundle(countries: list[str] | None, out: Path, *, install: str = INSTALL) -> Path:
    """Validate and compile the lexicons, build the wheel and write the bundle to `out`; returns `out`.

    `install` picks how the worker installs the wheels ("loadPackage" or "micropip"); the default is the one
    measured faster, the other is kept for re-measuring.
    """
    if install not in _VENDORED:
        raise BuildError(f"install must be one of {sorted(_VENDORED)}, not {install!r}")
    root = repo_root()
    static = root / "widget" / "static"
    countries = [c.upper() for c in countries] if countries else None
    _validate_lexicons(countries)
    lexicons_json, country_info = _compiled_lexicons(countries)

    core = _pyodide_core(root)
    wheel_name, wheel = _lentera_wheel(root)
    wheels = {**_vendored_wheels(root, _VENDORED[install]), wheel_name: wheel}
    core_lock = root / "node_modules" / "pyodide" / "pyodide-lock.json"
    packages = {**wheels, "pyodide-lock.json": _lock_file(core_lock, wheels)}

    files: dict[str, bytes] = {}
    pyodide_dir = f"assets/pyodide-{PYODIDE_VERSION}-{_dir_hash(core)}/"
    files.update({pyodide_dir + name: data for name, data in core.items()})
    packages_dir = f"assets/packages-{_dir_hash(packages)}/"
    files.update({packages_dir + name: data for name, data in packages.items()})

    def add_static(source: Path, prefix: str) -> str:
        data = source.read_bytes()
        path = prefix + _hashed(source.name, data)
        files[path] = data
        return path

    worker = add_static(static / "worker.js", "assets/")
    css = add_static(static / "lentera.css", "assets/")
    lexicons = "assets/" + _hashed("lexicons.json", lexicons_json.encode())
    files[lexicons] = lexicons_json.encode()

    config = {
        "version": _version(wheel_name),
        "worker": worker,
        "css": css,
        "lexicons": lexicons,
        "countries": country_info,
        "pyodide": {
            "version": PYODIDE_VERSION,
            "indexURL": pyodide_dir,
            "stdLibURL": None,  # None: the stock python_stdlib.zip in indexURL
            "lockFileURL": packages_dir + "pyodide-lock.json",
            "packageBaseUrl": packages_dir,
            "install": install,
            "packages": ["lentera"],
            # Dependencies first, lentera last (the order micropip installs them in).
            "wheels": [packages_dir + n for n in [*sorted(set(wheels) - {wheel_name}), wheel_name]],
        },
    }
    loader = (static / "lentera.js").read_text(encoding="utf-8")
    if loader.count(_PLACEHOLDER) != 1:
        raise BuildError(f"widget/static/lentera.js must contain {_PLACEHOLDER!r} exactly once")
    files["lentera.js"] = loader.replace(_PLACEHOLDER, json.dumps(config, sort_keys=True)).encode()

    demo = static / "demo"
    demo_js = add_static(demo / "demo.js", "demo/")
    demo_css = add_static(demo / "demo.css", "demo/")
    page = (demo / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{demo_js}}", demo_js).replace("{{demo_css}}", demo_css)
    if "{{" in page:
        raise BuildError("unfilled placeholder in widget/static/demo/index.html")
    files["index.html"] = page.encode()

    files["manifest.json"] = _manifest(files, config, sorted(country_info))
    return _write(files, out)


def _version(wheel_name: str) -> str:
    m = _WHEEL_NAME.match(wheel_name)
    return m["version"] if m else "0"


def _manifest(files: dict[str, bytes], config: dict[str, Any], countries: list[str]) -> bytes:
    """What a privacy reviewer audits: every file a visitor can download, with size and SHA-384."""
    entries = [
        {
            "path": path,
            "size": len(data),
            "integrity": _integrity(data),
            "role": "demo" if path.startswith(_DEMO_FILES) else "widget",
        }
        for path, data in sorted(files.items())
    ]
    manifest = {
        "generator": "lentera build",
        "version": config["version"],
        "pyodide": PYODIDE_VERSION,
        "install": config["pyodide"]["install"],
        "countries": countries,
        "entry": "lentera.js",
        "widget_bytes": sum(e["size"] for e in entries if e["role"] == "widget"),
        "files": entries,
    }
    return (json.dumps(manifest, indent=1) + "\n").encode()


def _write(files: dict[str, bytes], out: Path) -> Path:
    out = out.resolve()
    tmp = _prepare_out(out)
    try:
        for path, data in files.items():
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
