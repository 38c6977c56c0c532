"""Run by precompile.mjs inside Pyodide: .py -> .pyc for the standard library zip and for pure wheels.

Every .pyc is an *unchecked* hash-based pyc: the importer never compares it with a source, so the browser never
compiles Python at boot. Two layouts:
- "sourceless": the .pyc takes the .py's place (the standard library zip, Jinja2, MarkupSafe): smallest; both
  zipimport and the file-system importer load such modules.
- "cached": the .py stays and the .pyc goes to __pycache__/ under Pyodide's cache tag (a build option, measured).
- "source": the .py only (the lentera wheel, whose readable source is part of what a reviewer audits; compiled
  in the browser at import).
Wheels with traced_only keep only the modules the trace imported (and their package data), and all zips are
stored uncompressed: the server's pre-compressed .gz/.br of the whole file is smaller than deflate per member.
The standard library keeps only what the trace imported (JOB["modules"]), plus whole packages named in
keep_whole; its members are stored uncompressed, so that the server's gzip or brotli compresses across files
(better than deflate per member) and importing needs no zlib. Timestamps are fixed: same input, same bytes.
"""

import base64
import hashlib
import importlib._bootstrap_external as bx
import importlib.util
import io
import json
import zipfile

job = json.loads(JOB)  # noqa: F821 (set by precompile.mjs)
modules = set(job["modules"])
STAMP = (1980, 1, 1, 0, 0, 0)
# Docstrings and asserts compiled out (what `python -OO` does; the standard library, Jinja2 and MarkupSafe are
# tested to work so, and lentera's browser modules have no assert): about a tenth fewer bytes to download.
OPTIMIZE = 2
SKIPPED = (".pyi", ".c", "py.typed")  # type stubs and the C source MarkupSafe ships but Pyodide cannot use


def pyc(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=OPTIMIZE)
    return bytes(bx._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def member(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def module_name(path: str) -> str:
    """a/b/__init__.py -> a.b; a/c.py -> a.c"""
    parts = path[:-3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def traced(path: str, whole: set[str]) -> bool:
    top = path.split("/", 1)[0].removesuffix(".py")
    if top in whole:
        return True
    if path.endswith(".py"):
        return module_name(path) in modules
    return any(m == top or m.startswith(top + ".") for m in modules)  # data files of an imported package


if job["stdlib"]:
    whole = set(job["stdlib"]["keep_whole"])
    with zipfile.ZipFile("/job/python_stdlib.zip") as src, zipfile.ZipFile("/job/out/python_stdlib.zip", "w") as out:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not traced(info.filename, whole):
                continue
            data = src.read(info)
            if info.filename.endswith(".py"):
                code = pyc(data, "/lib/python314.zip/" + info.filename)
                out.writestr(member(info.filename[:-3] + ".pyc", zipfile.ZIP_STORED), code)
            else:
                out.writestr(member(info.filename, zipfile.ZIP_STORED), data)

for wheel in job["wheels"]:
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(wheel["in"]) as src:
        record = next(i.filename for i in src.infolist() if i.filename.endswith(".dist-info/RECORD"))
        for info in src.infolist():
            name = info.filename
            if info.is_dir() or name == record or name.endswith(SKIPPED):
                continue
            if wheel.get("traced_only") and ".dist-info/" not in name and not traced(name, set()):
                continue
            data = src.read(info)
            if not name.endswith(".py"):
                members[name] = data
                continue
            if wheel["mode"] == "source":
                members[name] = data
                continue
            code = pyc(data, "/lib/python3.14/site-packages/" + name)
            if wheel["mode"] == "sourceless":
                members[name[:-3] + ".pyc"] = code
            else:
                members[name] = data
                members[importlib.util.cache_from_source(name)] = code
    # The RECORD lists what the wheel now holds (installers may check it).
    lines = [
        f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
        for n, d in members.items()
    ]
    members[record] = ("\n".join([*lines, f"{record},,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in members.items():
            out.writestr(member(name, zipfile.ZIP_STORED), data)  # compressed as a whole by the server
    with open(wheel["out"], "wb") as f:
        f.write(buffer.getvalue())
