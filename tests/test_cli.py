"""The CLI is a contract: flags, JSON shapes and exit codes."""

import json
from pathlib import Path

import pytest

from lentera.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def fixture_lexicons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LENTERA_LEXICONS", str(FIXTURES / "lexicons"))


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--country", "XX", "--json", "suami mukul aku"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["show"] is True and out["category"] == "domestic" and out["term"] == "suami mukul"
    assert out["lang"] == "id"


def test_check_explains(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--country", "xx", "pukul berapa"])
    out = capsys.readouterr().out
    assert "normalised: pukul berapa" in out and "show: no" in out and "vetoed" in out


def test_eval_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text(
        "country\tlang\tlabel\tquery\tnote\textra\n"
        "XX\tid\thelp\tkdrt\t\tignored\nXX\tid\thelp\tnothing here\tmissed\n"
        "XX\tid\tnone\tpukul berapa\t\nXX\ten\tnone\trape\tfalse positive\n",
        encoding="utf-8",
    )
    assert main(["eval", "--json", str(tsv)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["countries"]["XX"] == {"tp": 1, "fp": 1, "tn": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "fpr": 0.5}
    assert out["overall"]["tp"] == 1
    assert main(["eval", str(tsv)]) == 0
    text = capsys.readouterr().out
    assert "FN XX" in text and "FP XX" in text


def test_render(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--country", "XX", "--lang", "en", "--category", "sexual"]) == 0
    assert 'lang="en"' in capsys.readouterr().out


def test_unknown_country_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--country", "ZZ", "kdrt"]) == 2
