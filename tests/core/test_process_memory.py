"""The process memory settings, on real processes: a model child gives back what its loading freed."""

from __future__ import annotations

import sys

import pytest

from support.heap_child import BLOCK_BYTES, BLOCKS, answer_anonymous_mb, fragmenting_load
from talkshow.child_process import ChildProcess

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc and /proc")


def test_a_model_child_gives_back_the_heap_its_loading_freed() -> None:
    loaded_mb = BLOCKS * BLOCK_BYTES / 2**20
    with ChildProcess(answer_anonymous_mb, fragmenting_load, "heap-child") as child:
        anonymous_mb = child.ask(("rss",), timeout_s=30)
    # The interpreter itself is ~10 MB anonymous and the kept blocks 6 MB; the freed holes were 186 MB.
    assert anonymous_mb < 60, f"{anonymous_mb:.0f} MB still resident of the {loaded_mb:.0f} MB the load used"
