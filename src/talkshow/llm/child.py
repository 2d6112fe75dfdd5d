"""The embedded brain's child process: llama.cpp's server, ended when the process that started it is gone.

``python -m talkshow.llm.child PARENT_PID ARGS...`` runs ``llama_cpp.server`` with ``ARGS``. A
show stopped cleanly stops it itself; a show that is killed (SIGKILL, a crash) cannot, so a
thread here checks once a second that its parent is still the one that started it, and ends
the server when it is not: a killed show leaves no model holding memory and a port.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time

__all__ = ["watch_parent"]

PARENT_CHECK_S = 1.0


def watch_parent(parent: int) -> None:
    """End this process as soon as ``parent`` is no longer its parent (checked every second)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)  # the server's own threads would keep it alive: leave now


if __name__ == "__main__":
    threading.Thread(target=watch_parent, args=(int(sys.argv[1]),), name="parent-watch", daemon=True).start()
    sys.argv = ["llama_cpp.server", *sys.argv[2:]]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
