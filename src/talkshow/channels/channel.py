"""One channel: a ``talkshow serve`` child with its own clock, encoder, outputs and database, pinned to its cores.

The child is started in its own session (a Ctrl-C at the terminal reaches the house, which
stops each child in turn) with its output in ``DATA/NAME/serve.log``. Its affinity is set
as soon as it exists, before it starts any thread, so its model processes inherit it too.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from talkshow.channels.admission import tree_cpu_seconds
from talkshow.channels.spec import ChannelSpec

__all__ = ["Channel", "ChannelState"]

LATE_WINDOW_S = 10.0  # the late-frame rate and the CPU use are over this much recent air
STOP_TIMEOUT_S = 20.0


class ChannelState:
    """What a channel is doing, as ``/api/channels`` says it."""

    WAITING = "waiting"  # for its turn at admission
    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"
    REFUSED = "refused"  # admission said no; the reason says why
    ENDED = "ended"  # exited 0: its shows are done
    FAILED = "failed"  # exited 2 (bad input): starting it again would fail the same way
    STOPPED = "stopped"  # the house stopped it


class Channel:
    """A channel's child process and what is measured of it."""

    def __init__(self, spec: ChannelSpec, data: Path, host: str, with_parent: bool = False) -> None:
        """``with_parent``: the child ends itself if the process that started it is gone (a channel on Ray)."""
        self.spec = spec
        self.with_parent = with_parent
        self.folder = data / spec.name
        self.host = host
        self.state = ChannelState.WAITING
        self.reason = ""
        self.restarts = 0
        self.exit_code: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.frames = 0
        self.late_frames = 0
        self._samples: collections.deque[tuple[float, int, int, float]] = collections.deque()

    @property
    def base(self) -> str:
        """Its studio's address."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.spec.port}"

    def command(self) -> list[str]:
        """The child's command line: serve with this channel's show, port, folder and outputs."""
        spec = self.spec
        command = [sys.executable, "-m", "talkshow", "serve"]
        command += [str(spec.show)] if spec.show else []
        command += ["--host", self.host, "--port", str(spec.port)]
        command += ["--hls-dir", str(self.folder / "hls"), "--db", str(self.folder / "studio.sqlite3")]
        command += ["--size", f"{spec.size[0]}x{spec.size[1]}"] if spec.size else []
        command += ["--exit-with-parent", str(os.getpid())] if self.with_parent else []
        for flag, values in (("--topic", spec.topics), ("--rtmp", spec.rtmp), ("--whip", spec.whip)):
            for value in values:
                command += [flag, value]
        return command

    def start(self) -> None:
        """Start the child (again)."""
        self.reason = ""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "serve.log").open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        if self.spec.cpus:
            try:
                os.sched_setaffinity(self.process.pid, self.spec.cpus)
            except OSError as exc:  # it died already: its exit code will say so
                self.reason = f"could not pin it to cores {list(self.spec.cpus)}: {exc}"
        self.state = ChannelState.STARTING
        self.started_at = time.monotonic()
        self.exit_code = None
        self._samples.clear()

    def exited(self) -> int | None:
        """Its exit code, once it has exited."""
        return None if self.process is None else self.process.poll()

    def record(self, status: dict[str, Any]) -> None:
        """Take a ``/api/status`` answer: frames and late frames, and the CPU of its process tree now."""
        assert self.process is not None
        now = time.monotonic()
        self.frames, self.late_frames = int(status.get("frames", 0)), int(status.get("late_frames", 0))
        self._samples.append((now, self.frames, self.late_frames, tree_cpu_seconds(self.process.pid)))
        while self._samples and now - self._samples[0][0] > LATE_WINDOW_S:
            self._samples.popleft()
        self.state = ChannelState.RUNNING

    @property
    def late_rate(self) -> float:
        """Late frames over frames in the last window."""
        if len(self._samples) < 2:
            return 0.0
        (_, frames0, late0, _), (_, frames1, late1, _) = self._samples[0], self._samples[-1]
        return (late1 - late0) / max(1, frames1 - frames0)

    @property
    def cores(self) -> float:
        """Cores its process tree used over the last window."""
        if len(self._samples) < 2:
            return 0.0
        (t0, _, _, cpu0), (t1, _, _, cpu1) = self._samples[0], self._samples[-1]
        return (cpu1 - cpu0) / max(1e-6, t1 - t0)

    def log_tail(self, chars: int = 600) -> str:
        """The end of its log, for a failure's reason."""
        try:
            return (self.folder / "serve.log").read_text(errors="replace")[-chars:].strip()
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the child as Ctrl-C would (its playlist ends cleanly), then kill it if it will not go."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        self.state, self.reason = ChannelState.STOPPED, "the house stopped it"
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    def as_dict(self) -> dict[str, Any]:
        """Its state for ``/api/channels``."""
        return {
            "name": self.spec.name,
            "state": self.state,
            "reason": self.reason,
            "studio": self.base + "/",
            "pid": self.process.pid if self.process and self.process.poll() is None else None,
            "cpus": list(self.spec.cpus),
            "size": f"{self.spec.size[0]}x{self.spec.size[1]}" if self.spec.size else "the show's",
            "restarts": self.restarts,
            "exit_code": self.exit_code,
            "frames": self.frames,
            "late_frames": self.late_frames,
            "late_rate": round(self.late_rate, 4),
            "cores": round(self.cores, 3),
        }
