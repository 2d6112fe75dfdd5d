"""The knowledge stage on the real knowledge base, opened once for each test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from talkshow.knowledge.stage import KnowledgeStage, open_stage


@pytest.fixture(scope="module")
def stage() -> Iterator[KnowledgeStage]:
    """The stage, as a show opens it (read-only)."""
    with open_stage() as opened:
        yield opened
