"""The phone tests' studio: one `talkshow serve` with the phone bridges on, per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.phone_calls import PHONE
from support.phone_studio import PhoneStudio


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneStudio]:
    running = PhoneStudio(tmp_path_factory.mktemp("phone"), PHONE)
    yield running
    running.close()
