"""What the tutor's tests share: one grammar checker per test module (Harper's dictionary loads once)."""

from __future__ import annotations

import pytest

from talkshow.tutor.checker import GrammarChecker


@pytest.fixture(scope="module")
def checker() -> GrammarChecker:
    """The tutor's checker, as the tutor builds it."""
    return GrammarChecker()
