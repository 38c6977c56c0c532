"""The dev-set eval inside real Pyodide (under Node) gives exactly the CPython results, row by row.

The same Python code runs in both interpreters: `lentera.runtime.check` on every row of the dev set (with
the row's language as the page language, so notice rendering is compared too) and `lentera.evaluate` over
the same rows. Pyodide comes from node_modules/pyodide; lentera, Jinja2 and MarkupSafe are the wheels of a
bundle built by `lentera.build.build_bundle` (or $LENTERA_BUNDLE), and both interpreters load the compiled
lexicons that bundle ships; every http(s) fetch in Node is refused and recorded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.pyodide

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO / "tests" / "pyodide" / "run_python.mjs"
FIXTURE_TSV = REPO / "tests" / "pyodide" / "fixture_queries.tsv"
PACKAGES = ("lentera", "jinja2", "markupsafe")

# Runs unchanged in CPython and in Pyodide. Inputs: COMPILED (JSON text), TSVS (JSON list of paths).
PARITY_CODE = """
import json
from pathlib import Path

import lentera.runtime as rt
from lentera.matcher import Matcher

try:
    from lentera.evaluate import evaluate, read_rows
except ImportError:  # the browser wheel ships the runtime only: the harness is copied in beside it
    from lentera_evaluate import evaluate, read_rows

countries = rt.load(*json.loads(COMPILED))
rows = [row for path in json.loads(TSVS) for row in read_rows(Path(path))]
checks = [[row.country, row.query, rt.check(row.query, row.country, row.lang or None)] for row in rows]
if hasattr(rt, "matcher"):  # the runtime builds (and unpacks) each country's matcher itself
    matchers = {cc: rt.matcher(cc) for cc in countries}
else:
    matchers = {cc: Matcher(c) for cc, c in json.loads(COMPILED)["countries"].items()}
result = evaluate(rows, matchers)
misses = [[row.country, row.query, d.show, d.category] for row, d in result.misses]
OUT = json.dumps({"countries": countries, "checks": checks, "eval": result.as_json(), "misses": misses},
                 ensure_ascii=False, sort_keys=True)
"""


def dev_set() -> list[Path]:
    """tests/data/queries.tsv (the dev set), else its per-country parts, else a small fixture.

    The blind holdout (tests/data/holdout/) is left alone on purpose."""
    data = REPO / "tests" / "data"
    if (data / "queries.tsv").is_file():
        return [data / "queries.tsv"]
    return sorted((data / "dev").glob("*.tsv")) or [FIXTURE_TSV]


def pyodide_dir() -> Path:
    pkg = REPO / "node_modules" / "pyodide"
    if not (pkg / "pyodide.mjs").is_file() and (REPO / "package.json").is_file():
        npm = ["npm", "ci"] if (REPO / "package-lock.json").is_file() else ["npm", "install"]
        subprocess.run([*npm, "--no-audit", "--no-fund", "--loglevel=error"], cwd=REPO, check=True)
    assert (pkg / "pyodide.mjs").is_file(), "node_modules/pyodide is missing: npm ci"
    return pkg


def canonical_wheel_name(path: Path) -> str:
    """The PEP 427 file name, read from the wheel itself (bundle names may carry a content hash)."""
    with zipfile.ZipFile(path) as z:
        info = next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL") and n.count("/") == 1)
        meta = z.read(info.replace("/WHEEL", "/METADATA")).decode()
        tag = next(line.split(":", 1)[1].strip() for line in z.read(info).decode().splitlines()
                   if line.startswith("Tag:"))
    lines = [line for line in meta.splitlines() if ": " in line and not line.startswith(" ")]
    fields = dict(line.split(": ", 1) for line in lines)
    name = fields["Name"].replace("-", "_").replace(".", "_").lower()
    return f"{name}-{fields['Version']}-{tag}.whl"


def get_bundle(tmp: Path) -> Path:
    prebuilt = os.environ.get("LENTERA_BUNDLE")
    if prebuilt:
        return Path(prebuilt)
    from lentera.build import build_bundle

    countries = sorted(p.stem for p in (REPO / "lexicons").glob("*.toml"))
    return Path(build_bundle(countries, tmp / "build"))


def bundle_wheels(bundle: Path, tmp: Path) -> list[Path]:
    """The bundle's lentera, Jinja2 and MarkupSafe wheels, copied under their PEP 427 names."""
    found: dict[str, Path] = {}
    for whl in bundle.rglob("*.whl"):
        found[canonical_wheel_name(whl).split("-", 1)[0]] = whl
    missing = [p for p in PACKAGES if p not in found]
    assert not missing, f"the bundle has no wheel for {missing}: {sorted(found)}"
    stale = [
        name
        for name, data in _wheel_modules(found["lentera"]).items()
        if data != (REPO / "widget" / "py" / name).read_bytes()
    ]
    assert not stale, f"the bundle's lentera wheel differs from the source tree (stale build?): {stale}"
    wheels = tmp / "wheels"
    wheels.mkdir()
    out = []
    for package in PACKAGES:
        target = wheels / canonical_wheel_name(found[package])
        shutil.copy(found[package], target)
        out.append(target)
    return out


def _wheel_modules(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("lentera/") and n.endswith(".py")}


def compiled_lexicons(bundle: Path) -> str:
    """The compiled lexicons the browser loads (the bundle's, one per country, as a JSON list), else
    compile_bundle() of the source tree."""
    shipped = sorted((bundle / "assets" / "lexicons").glob("*.json"))
    if shipped:
        return json.dumps([p.read_text(encoding="utf-8") for p in shipped])
    from lentera.compile import compile_bundle

    return json.dumps([json.dumps(compile_bundle())])


def run_in_cpython(compiled: str, tsvs: list[str]) -> dict:
    scope = {"COMPILED": compiled, "TSVS": json.dumps(tsvs)}
    exec(compile(PARITY_CODE, "<parity>", "exec"), scope)
    return json.loads(scope["OUT"])


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parity")
    bundle = get_bundle(tmp)
    wheels = bundle_wheels(bundle, tmp)
    compiled = compiled_lexicons(bundle)
    (tmp / "compiled.json").write_text(compiled, encoding="utf-8")
    tsvs = dev_set()
    inside = {f"/data/{i}-{p.name}": str(p) for i, p in enumerate(tsvs)}
    files = {**inside, "/harness/lentera_evaluate.py": str(REPO / "widget" / "py" / "lentera" / "evaluate.py")}
    job = {
        "pyodide": str(pyodide_dir()),
        "wheels": [str(w) for w in wheels],
        "files": files,
        "globals": {"COMPILED": compiled, "TSVS": json.dumps(list(inside))},
        "code": "import sys\nsys.path.append('/harness')\n" + PARITY_CODE,
        "out": str(tmp / "out.json"),
    }
    (tmp / "job.json").write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run(
        ["node", str(RUNNER), str(tmp / "job.json")], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    node = json.loads((tmp / "out.json").read_text(encoding="utf-8"))
    cpython = run_in_cpython(compiled, [str(p) for p in tsvs])
    return {"node": node, "pyodide": json.loads(node["out"]), "cpython": cpython}


def test_pyodide_run_is_offline_and_real(pyodide_run):
    node = pyodide_run["node"]
    assert node["remote"] == [], f"Pyodide tried to fetch from the network: {node['remote']}"
    assert node["python"].startswith("3.14"), node["python"]
    assert set(map(str.lower, node["loaded"])) == set(PACKAGES), node["loaded"]


def test_dev_set_gives_identical_results_in_pyodide_and_cpython(pyodide_run):
    py, cp = pyodide_run["pyodide"], pyodide_run["cpython"]
    assert py["countries"] == cp["countries"] and cp["countries"], (py["countries"], cp["countries"])
    assert len(py["checks"]) == len(cp["checks"]) > 0
    differing = [(a[0], a[1], a[2], b[2]) for a, b in zip(py["checks"], cp["checks"], strict=True) if a != b]
    assert not differing, f"{len(differing)} rows differ (country, query, pyodide, cpython): {differing[:10]}"
    assert sum(c[2]["show"] for c in cp["checks"]) > 0, "no row shows a notice: nothing compared"
    assert py["eval"] == cp["eval"]
    assert py["misses"] == cp["misses"]
