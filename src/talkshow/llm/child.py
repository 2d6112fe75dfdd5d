"""The embedded brain's child process: llama.cpp's server, ended when the process that started it is gone.

``python -m talkshow.llm.child PARENT_PID ARGS...`` runs ``llama_cpp.server`` with ``ARGS``. A
show stopped cleanly stops it itself; a show that is killed (SIGKILL, a crash) cannot, so a
thread here checks once a second that its parent is still the one that started it, and ends
the server when it is not: a killed show leaves no model holding memory and a port.
"""

from __future__ import annotations

import runpy
import sys

from talkshow.parent_watch import exit_with_parent

if __name__ == "__main__":
    exit_with_parent(int(sys.argv[1]))
    sys.argv = ["llama_cpp.server", *sys.argv[2:]]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
