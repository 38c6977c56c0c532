"""`lentera validate`: each rule fails on a broken copy of the fixture lexicon, with file, key path and line."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.validate import validate_file

FIXTURE = Path(__file__).parent / "fixtures" / "lexicons" / "XX.toml"
TODAY = dt.date(2026, 11, 28)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "XX.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_fixture_is_valid() -> None:
    assert [p for p in validate_file(FIXTURE, TODAY) if not p.warning] == []


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('name = "Testland"', 'name = "Testland"\ncolour = "red"', "colour", "unknown key"),
        ('default_language = "id"\n', "", "default_language", "missing required key"),
        ('tel = "111"', 'tel = "call us"', "resources[1].tel", "not dialable"),
        ('whatsapp = "+10000000000"', 'whatsapp = "0812"', "resources[0].whatsapp", "not E.164"),
        ('url = "https://example.org/b"', 'url = "http://example.org/b"', "resources[1].url", "not an https URL"),
        ('last_verified = 2026-11-01\n[resources.source]\ntitle = "Fixture"\nurl',
         'last_verified = 2027-01-01\n[resources.source]\ntitle = "Fixture"\nurl', "resources[0].last_verified",
         "in the future"),
        ('[resources.source]\ntitle = "Fixture"\nurl = "https://example.org/a"\n', "", "resources[0].source",
         "missing required key"),
        ('terms.en = ["stalking"]', 'terms.en = ["stalking", "grape"]', "categories.stalking.terms.en",
         "also an exclusion"),
        ('terms.en = ["stalking"]', 'terms.en = ["stalking", "kdrt"]', "categories.stalking.terms.en",
         "duplicate term"),
        ('terms.en = ["stalking"]', 'terms.en = ["stalking", "(broken"]', "categories.stalking.terms.en",
         "unbalanced"),
        ('categories = ["sexual"]', 'categories = ["sexy"]', "resources[1].categories", "unknown category"),
    ],
)
def test_rule(tmp_path: Path, old: str, new: str, key: str, message: str) -> None:
    problems = [p for p in validate_file(broken(tmp_path, old, new), TODAY) if not p.warning]
    assert problems, "expected a problem"
    first = problems[0]
    assert first.key == key
    assert message in first.message
    assert first.line > 0
    assert str(first).startswith(f"{tmp_path / 'XX.toml'}:{first.line}: error: {key}")


def test_stale_is_a_warning_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken(tmp_path, "last_verified = 2026-11-01", "last_verified = 2020-01-01")
    problems = validate_file(path, TODAY)
    assert [p.warning for p in problems] == [True]
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--strict", str(path)]) == 1
    assert "stale" in capsys.readouterr().err


def test_stops_at_the_first_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = broken(tmp_path, 'tel = "111"', 'tel = "x"')
    good = tmp_path / "good" / "XX.toml"
    good.parent.mkdir()
    shutil.copy(FIXTURE, good)
    assert main(["validate", str(bad), str(good)]) == 1
    out = capsys.readouterr()
    assert "resources[1].tel" in out.err
    assert str(good) not in out.out
