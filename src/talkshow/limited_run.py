"""Run a module as a child with caps: ``python -m talkshow.limited_run MEMORY_MB CPU_S MODULE ARGS...``.

For work on untrusted input that the live process hands off (an avatar import, a preview
render): the child caps its own address space and CPU time and lowers its priority before
the module starts. Doing this in the child itself, not in a ``preexec_fn``, keeps the
parent's many threads safe (a ``preexec_fn`` runs between fork and exec, where a lock
another thread held stays held forever).
"""

from __future__ import annotations

import os
import resource
import runpy
import sys

__all__ = ["limited_argv"]


def limited_argv(memory_mb: int, cpu_s: int, module: str, *args: str) -> list[str]:
    """The command line that runs ``module`` with ``args`` under these caps."""
    return [sys.executable, "-m", "talkshow.limited_run", str(memory_mb), str(cpu_s), module, *args]


def _main() -> None:
    memory_mb, cpu_s, module, *args = sys.argv[1:]
    memory = int(memory_mb) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_s), int(cpu_s) + 5))
    os.nice(10)  # behind the show's threads for the CPU
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _main()
