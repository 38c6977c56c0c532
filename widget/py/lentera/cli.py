"""The `lentera` command: validate, check, eval, render, build, serve. Its flags and outputs are a contract."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lentera import compile as compiler
from lentera.lexicon import country_files, lexicon_dir


def _matchers(countries: list[str] | None) -> dict:
    from lentera.matcher import Matcher

    bundle = compiler.compile_bundle(countries)
    return {cc: Matcher(c) for cc, c in bundle["countries"].items()}


def cmd_validate(args: argparse.Namespace) -> int:
    from lentera.validate import validate_file

    files = [Path(f) for f in args.files] or country_files(lexicon_dir())
    warnings = 0
    for path in files:
        problems = validate_file(path)
        errors = [p for p in problems if not p.warning or args.strict]
        for p in problems:
            print(p, file=sys.stderr)
        warnings += len(problems) - len(errors)
        if errors:
            return 1
        print(f"ok  {path}")
    if warnings:
        print(f"{warnings} warning(s)", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    cc = args.country.upper()
    matcher = _matchers([cc])[cc]
    decision = matcher.check(args.query)
    if args.json:
        print(json.dumps(decision.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(matcher.explain(args.query)))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from lentera.evaluate import evaluate, format_text, read_rows

    rows = read_rows(Path(args.file))
    if args.country:
        rows = [r for r in rows if r.country == args.country.upper()]
    countries = sorted({r.country for r in rows})
    result = evaluate(rows, _matchers(countries))
    print(json.dumps(result.as_json(), ensure_ascii=False) if args.json else format_text(result))
    if args.report:
        from lentera.report import coverage_markdown

        out = Path(args.report_file)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(coverage_markdown(result, countries), encoding="utf-8")
        print(f"coverage report written to {out}", file=sys.stderr)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from lentera.notice import render_notice

    cc = args.country.upper()
    country = compiler.compile_bundle([cc])["countries"][cc]
    print(render_notice(country, args.lang, args.category))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from lentera.build import build_bundle

    out = build_bundle(args.country or None, Path(args.out))
    print(f"built {out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from lentera.serve import serve

    serve(Path(args.dir), port=args.port, host=args.host, csp=args.csp, isolate=args.isolate)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lentera", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("validate", help="check lexicon files")
    s.add_argument("files", nargs="*", help="lexicon files (default: every lexicons/CC.toml)")
    s.add_argument("--strict", action="store_true", help="stale entries are errors")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("check", help="decide for one query and say why")
    s.add_argument("--country", required=True)
    s.add_argument("--json", action="store_true")
    s.add_argument("query")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("eval", help="score a labelled TSV (country lang label query note)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--country")
    s.add_argument("--report", action="store_true", help="also write the per-language coverage table")
    s.add_argument("--report-file", default="docs/coverage.md", help="where --report writes (Markdown)")
    s.add_argument("file")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("render", help="print the notice HTML")
    s.add_argument("--country", required=True)
    s.add_argument("--lang")
    s.add_argument("--category")
    s.set_defaults(func=cmd_render)

    s = sub.add_parser("build", help="write the static bundle")
    s.add_argument("--country", action="extend", nargs="+", help="one or more; default: every country")
    s.add_argument("--out", default="build")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="serve a built bundle and the demo")
    s.add_argument("--dir", default="build")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--csp", action="store_true", help="send the strict Content-Security-Policy")
    s.add_argument("--isolate", action="store_true", help="send COOP/COEP (precise timers, for benchmarks)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"lentera: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
