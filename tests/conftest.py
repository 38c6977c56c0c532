from pathlib import Path

import pytest

from lentera.compile import compile_bundle
from lentera.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_bundle() -> dict:
    return compile_bundle(["XX"], FIXTURES / "lexicons")


@pytest.fixture(scope="session")
def xx(fixture_bundle) -> Matcher:
    return Matcher(fixture_bundle["countries"]["XX"])
