"""`lentera build`: the self-contained static bundle a site owner copies to any static host.

Layout (every name under assets/ and demo/ carries a content hash, so it can be cached forever; the loader
finds them relative to its own URL, so the bundle works under any path prefix):

    lentera.js                          the loader; stable name, the only URL a host page refers to
    manifest.json                       every other file with its size and SHA-384 (`integrity` format)
    index.html, demo/demo.<h>.{js,css}  the demo page (not needed by a host site)
    assets/worker.<h>.js                the module Web Worker
    assets/lentera.<h>.css              the notice styles (adopted inside the notice's shadow root)
    assets/lexicons/<CC>.<h>.json       compiled lexicons, one file per country (lentera.compile): a page
                                        fetches only the countries it names
    assets/pyodide-<version>-<h>/       the Pyodide core from node_modules/pyodide, byte for byte
    assets/packages-<h>/                the wheels (lentera, Jinja2, pure MarkupSafe) and a lock file listing
                                        only them

Everything comes from this checkout: node_modules/pyodide (pinned in package.json, installed by `npm ci`),
widget/vendor/ (wheels checked against SHA256SUMS) and the lentera wheel written here from widget/py. A
missing file stops the build with an error; nothing is ever fetched at build time or pointed at a CDN.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
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
# Whether lentera.js adds modulepreload hints for the worker's modules when it starts the worker. Measured
# (bench/report.md, lever preload): no consistent effect (1.04x and 0.86x the default's cold ready in two runs;
# a worker does not share the page's module map, only the HTTP cache), so off.
PRELOAD = False

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

# Standard-library packages kept whole in the trimmed .pyc standard library, whatever the trace saw: codecs are
# looked up by name at run time (encodings), and Pyodide's own packages and importlib serve loadPackage and the
# JS bridge in ways a Node run may not exercise. Everything else is kept per module, as imported by the trace.
_STDLIB_KEEP_WHOLE = ("encodings", "importlib", "pyodide", "_pyodide", "concurrent", "email", "json", "re")
# The Python run under Node to see which modules a real boot imports: the worker's path (runtime, load, warm)
# plus a notice in every country and language, so lazily imported modules are seen too.
_TRACE = """
import lentera.runtime as rt
for cc in rt.load(LEX):
    rt.check("lentera", cc)
    for lang in rt._countries[cc]["languages"]:
        for category in rt._countries[cc]["categories"]:
            rt._render(cc, lang, category)
"""
# The lentera wheel in the bundle: its browser modules as readable source ("source"), or with their bytecode
# (compiled inside Pyodide, unchecked hash-based) in __pycache__/ beside it ("cached"). The source stays, so a
# reviewer reads exactly what runs; the bytecode spares the browser compiling it at boot. Measured (bench/
# report.md, lever lentera_source): about 0.1-0.2 s of `import lentera.runtime`, for about 20 KB compressed.
LENTERA_WHEEL_MODE = "cached"
_PRECOMPILE_TOOL = ("widget/static/tools/precompile.mjs", "widget/static/tools/precompile.py")
# Pre-compressed copies (name.gz, name.br) are written for these types when they save at least 10%.
_COMPRESSIBLE = (".js", ".mjs", ".wasm", ".json", ".css", ".html", ".zip", ".whl")
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


def _compiled_lexicons(countries: list[str] | None) -> tuple[str, dict[str, str], dict[str, Any]]:
    """(every country in one JSON, for the precompile trace; one JSON per country, as shipped; country info)."""
    from lentera.compile import compile_bundle, dumps

    bundle = compile_bundle(countries)
    if not bundle["countries"]:
        raise BuildError("no lexicons found (lexicons/CC.toml)")
    info = {
        cc: {"name": c["name"], "languages": c["languages"], "default": c["default_language"]}
        for cc, c in sorted(bundle["countries"].items())
    }
    # One file per country, each with its own keys: a page downloads the countries it names (about a
    # fifth of the seven), at the price of phrases shared by several countries being in several files.
    each = {cc: dumps({**bundle, "countries": {cc: c}}) for cc, c in sorted(bundle["countries"].items())}
    return dumps(bundle), each, info


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


# ------------------------------------------------------------------------------------------------ precompiling


def cache_dir(root: Path) -> Path:
    """Where slow build steps keep their results ($LENTERA_CACHE, else .cache/ in the checkout; git-ignored)."""
    return Path(os.environ.get("LENTERA_CACHE") or root / ".cache")


def _precompile(
    root: Path, wheels: dict[str, bytes], lentera_wheel: str, lexicons_json: str, mode: str = LENTERA_WHEEL_MODE
) -> tuple[bytes, dict[str, bytes], list[str]]:
    """A trimmed .pyc standard library and precompiled wheels, made inside Pyodide under Node (see
    widget/static/tools/precompile.mjs); returns (stdlib zip, wheels by file name, modules the trace imported).
    The wheels keep only the modules the trace imported (and their package data): bytecode only for Jinja2 and
    MarkupSafe; lentera as `mode` says (LENTERA_WHEEL_MODE).

    Cached under cache_dir()/precompile/<key>: the key covers the Pyodide version, the tool, the trace and every
    input wheel (so an edit to lentera's code recompiles, about 20 s; an unchanged tree rebuilds at once). The
    lexicons are not in the key: which modules a boot imports does not depend on their content.
    """
    key = hashlib.sha256()
    for part in (PYODIDE_VERSION, _TRACE, repr(_STDLIB_KEEP_WHOLE), mode):
        key.update(part.encode() + b"\0")
    for tool in _PRECOMPILE_TOOL:
        key.update((root / tool).read_bytes())
    for name, data in sorted(wheels.items()):
        key.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    folder = cache_dir(root) / "precompile" / f"{PYODIDE_VERSION}-{key.hexdigest()[:16]}"
    names = [*sorted(wheels), "python_stdlib.zip", "modules.json"]
    if not all((folder / n).is_file() for n in names):
        node = shutil.which("node")
        if not node:
            raise BuildError("`lentera build` needs Node.js to precompile Python inside Pyodide (`node` not found)")
        work = Path(tempfile.mkdtemp(prefix="lentera-precompile-"))
        try:
            for name, data in wheels.items():
                (work / name).write_bytes(data)
            (work / "lexicons.json").write_text(lexicons_json, encoding="utf-8")
            (work / "out").mkdir()
            job = {
                "pyodide": str(root / "node_modules" / "pyodide"),
                "trace": {"wheels": [str(work / n) for n in sorted(wheels)], "lexicons": str(work / "lexicons.json"),
                          "code": _TRACE},
                "stdlib": {"out": str(work / "out" / "python_stdlib.zip"), "keep_whole": list(_STDLIB_KEEP_WHOLE)},
                "wheels": [
                    {"in": str(work / n), "out": str(work / "out" / n),
                     "mode": mode if n == lentera_wheel else "sourceless", "traced_only": True}
                    for n in sorted(wheels)
                ],
                "modules_out": str(work / "out" / "modules.json"),
            }
            (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
            done = subprocess.run(
                [node, str(root / _PRECOMPILE_TOOL[0]), str(work / "job.json")],
                capture_output=True, text=True, timeout=600, check=False,
            )
            if done.returncode:
                raise BuildError(f"precompiling inside Pyodide failed:\n{done.stderr[-3000:]}")
            folder.mkdir(parents=True, exist_ok=True)
            for n in names:
                shutil.copyfile(work / "out" / n, folder / n)
            # Keep the few latest results (each lentera edit makes one, about 5 MB).
            for old in sorted(folder.parent.iterdir(), key=lambda p: p.stat().st_mtime)[:-4]:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    return (folder / "python_stdlib.zip").read_bytes(), {n: (folder / n).read_bytes() for n in wheels}, modules


def _compressed(root: Path, data: bytes, encoding: str) -> bytes:
    """gzip (level 9, no timestamp) or brotli (quality 11) of `data`; large results are cached by content."""
    digest = hashlib.sha256(data).hexdigest()
    cached = cache_dir(root) / "compressed" / f"{digest}.{encoding}"
    if cached.is_file():
        return cached.read_bytes()
    if encoding == "gz":
        out = gzip.compress(data, compresslevel=9, mtime=0)
    else:
        import brotli  # optional (the test extra installs it); checked by _encodings()

        out = brotli.compress(data, quality=11)
    if len(data) > 256 * 1024:  # brotli at quality 11 takes seconds per megabyte
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(out)
    return out


def _encodings() -> tuple[str, ...]:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return ("gz",)
    return ("gz", "br")


def _precompress(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """name.gz and name.br beside every compressible file that shrinks by at least 10%, for servers that send
    pre-compressed files (`lentera serve`, nginx gzip_static/brotli_static): no compression work per request,
    and brotli at its highest quality, which is too slow to do on the fly."""
    extra = {}
    encodings = _encodings()
    for path, data in files.items():
        # index.html is only the demo page, revalidated on every visit: served as it is.
        if not path.endswith(_COMPRESSIBLE) or len(data) < 1024 or path == "index.html":
            continue
        for encoding in encodings:
            packed = _compressed(root, data, encoding)
            if len(packed) <= 0.9 * len(data):
                extra[f"{path}.{encoding}"] = packed
    return extra


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


def build_bundle(
    countries: list[str] | None,
    out: Path,
    *,
    install: str = INSTALL,
    precompile: bool = True,
    precompress: bool = True,
    preload: bool = PRELOAD,
    lentera_wheel: str = LENTERA_WHEEL_MODE,
) -> Path:
    """Validate and compile the lexicons, build the wheel and write the bundle to `out`; returns `out`.

    `install` picks how the worker installs the wheels ("loadPackage" or "micropip"); the default is the one
    measured faster, the other is kept for re-measuring. The other switches are the performance levers of
    bench/bench_browser.py, on by default where they were measured to help (bench/report.md):
    `precompile`, a trimmed .pyc standard library and precompiled wheels (made inside Pyodide, cached);
    `precompress`, name.gz / name.br beside compressible files; `preload`, modulepreload hints at boot;
    `lentera_wheel`, "source" or "cached" (bytecode beside the source) for the precompiled lentera wheel.
    """
    if install not in _VENDORED:
        raise BuildError(f"install must be one of {sorted(_VENDORED)}, not {install!r}")
    root = repo_root()
    static = root / "widget" / "static"
    countries = [c.upper() for c in countries] if countries else None
    _validate_lexicons(countries)
    lexicons_json, per_country, country_info = _compiled_lexicons(countries)

    core = _pyodide_core(root)
    wheel_name, wheel = _lentera_wheel(root)
    wheels = {**_vendored_wheels(root, _VENDORED[install]), wheel_name: wheel}
    stdlib = None
    # The trace behind the trimmed standard library follows the loadPackage boot; micropip needs more of it.
    if precompile and install == "loadPackage":
        stdlib, wheels, _ = _precompile(root, wheels, wheel_name, lexicons_json, lentera_wheel)
    core_lock = root / "node_modules" / "pyodide" / "pyodide-lock.json"
    packages = {**wheels, "pyodide-lock.json": _lock_file(core_lock, wheels)}

    files: dict[str, bytes] = {}
    # The stock python_stdlib.zip stays in the core folder (byte for byte the npm package, for audits and for
    # builds without `precompile`); with `precompile` the worker loads the .pyc one instead (stdLibURL).
    pyodide_dir = f"assets/pyodide-{PYODIDE_VERSION}-{_dir_hash(core)}/"
    files.update({pyodide_dir + name: data for name, data in core.items()})
    packages_dir = f"assets/packages-{_dir_hash(packages)}/"
    files.update({packages_dir + name: data for name, data in packages.items()})
    stdlib_path = None
    if stdlib is not None:
        stdlib_path = "assets/" + _hashed("python_stdlib.zip", stdlib)
        files[stdlib_path] = stdlib

    def add_static(source: Path, prefix: str) -> str:
        data = source.read_bytes()
        path = prefix + _hashed(source.name, data)
        files[path] = data
        return path

    worker = add_static(static / "worker.js", "assets/")
    css = add_static(static / "lentera.css", "assets/")
    lexicons = {}
    for cc, text in per_country.items():
        lexicons[cc] = "assets/lexicons/" + _hashed(f"{cc}.json", text.encode())
        files[lexicons[cc]] = text.encode()

    config = {
        "version": _version(wheel_name),
        "preload": preload,
        "worker": worker,
        "css": css,
        "lexicons": lexicons,
        "countries": country_info,
        "pyodide": {
            "version": PYODIDE_VERSION,
            "indexURL": pyodide_dir,
            "stdLibURL": stdlib_path,  # None: the stock python_stdlib.zip in indexURL
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

    first_visit = _first_visit(config)
    if precompress:
        files.update(_precompress(root, files))
    files["manifest.json"] = _manifest(files, config, sorted(country_info), first_visit)
    return _write(files, out)


def _first_visit(config: dict[str, Any]) -> list[str]:
    """The files the widget downloads on every first visit, in the bundle, besides one lexicon per country the
    page names (the rest is the demo, the stock standard library kept for audits, or other install methods'
    wheels)."""
    p = config["pyodide"]
    core = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]
    stdlib = [p["stdLibURL"]] if p["stdLibURL"] else [p["indexURL"] + "python_stdlib.zip"]
    return ["lentera.js", config["worker"], config["css"], *(p["indexURL"] + n for n in core),
            *stdlib, p["lockFileURL"], *p["wheels"]]


def _version(wheel_name: str) -> str:
    m = _WHEEL_NAME.match(wheel_name)
    return m["version"] if m else "0"


def _manifest(files: dict[str, bytes], config: dict[str, Any], countries: list[str], first_visit: list[str]) -> bytes:
    """What a privacy reviewer audits: every file a visitor can download, with size and SHA-384.

    `widget_bytes` adds up every widget file, including the pre-compressed copies (name.gz, name.br) and files a
    visitor never loads; `first_visit` lists what the widget downloads on every first visit, and
    `first_visit_bytes` its size; to these it adds `lexicons[CC]` for each country the page names.
    """
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
        "first_visit": first_visit,
        "first_visit_bytes": sum(len(files[p]) for p in first_visit),
        "lexicons": config["lexicons"],
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
