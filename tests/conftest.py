"""Shared fixtures: generated packets and a parser pool reused across the session (forkserver start-up once)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def pool():
    from xinyong_desktop.intake.sandbox import ParserPool

    with ParserPool() as p:
        yield p


@pytest.fixture(scope="session")
def rules():
    from xinyong_desktop.rules.loader import default_rules

    return default_rules()
