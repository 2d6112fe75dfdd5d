"""A model child's stand-in for memory tests: its "loading" leaves the heap full of freed holes."""

from __future__ import annotations

from multiprocessing.connection import Connection

from talkshow.child_process import messages

BLOCK_BYTES = 64 * 1024  # under glibc's default mmap threshold (128 KB): in the heap
BLOCKS = 3000  # 192 MB while "loading"


def fragmenting_load() -> list[bytes]:
    """What a model loader does to the heap: many scratch buffers, a few of them kept for good."""
    scratch = [bytes(BLOCK_BYTES) for _ in range(BLOCKS)]
    return scratch[::32]  # 6 MB kept, spread through the heap, so no free tail trims itself


def answer_anonymous_mb(conn: Connection, engine: object) -> None:
    """Answer each message with this process's anonymous resident memory in MB."""
    for _ in messages(conn):
        with open("/proc/self/status") as status:
            fields = dict(line.split(":", 1) for line in status)
        conn.send(int(fields["RssAnon"].split()[0]) / 1024)
