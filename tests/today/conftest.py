"""The day plan's tests run on a frozen clock: Wednesday 20 January 2027, 13:00 in Vladivostok."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.today.test_today import NOW


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield
