"""The storage layer runs on both engines: every test here takes `engine` (through `db`, `database` or
`target`) once for SQLite and once for PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support import ENGINES


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)
