"""llama.cpp's OpenAI-compatible server (``llama_cpp.server``) on one GGUF, as a child process of ours.

llama.cpp holds the GIL while it computes, so it never runs in the show's process: this
starts ``python -m llama_cpp.server`` (through ``talkshow.llm.child``, which ends it if this
process is killed) on a loopback port with the model loaded once and kept in memory, waits
until it answers, and stops it with the show. The writers talk to it as to any
OpenAI-compatible server (they stream, and closing a stream stops its generation; a new
request interrupts one still running, so a barge-in never waits for the old reply).

A server that dies is started again by ``ensure_running`` (the station's watchdog calls it);
meanwhile the writers' fallbacks speak.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from talkshow.core.errors import ServiceError

__all__ = ["LlamaServer", "LlamaServerError"]

logger = logging.getLogger(__name__)

START_TIMEOUT_S = 90.0  # loading the model from a cold disk on two busy cores
CONTEXT_TOKENS = 2048  # a persona, a window of the talk so far and a reply fit with room to spare
PROMPT_BATCH_TOKENS = 128


class LlamaServerError(ServiceError):
    """The embedded LLM server could not start, or stopped; the message says why (with its log's tail)."""


class LlamaServer:
    """One ``llama_cpp.server`` child on ``model`` (a context manager). ``base_url`` is its OpenAI API root."""

    def __init__(
        self,
        model: Path,
        threads: int = 2,
        context_tokens: int = CONTEXT_TOKENS,
        start_timeout_s: float = START_TIMEOUT_S,
        interrupt_requests: bool = True,
    ) -> None:
        """``interrupt_requests``: a new request cuts the one streaming (a barge-in never waits for the old
        reply). Right for the embedded brain, which only answers; a server that also writes the show's lines
        must queue them instead, or the show's writer and the answers cut each other off."""
        if not model.is_file():
            raise LlamaServerError(f"the brain's model {model} is not a file")
        self.model = model
        self.threads = threads
        self.context_tokens = context_tokens
        self.start_timeout_s = start_timeout_s
        self.interrupt_requests = interrupt_requests
        self.port = 0
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log = Path(tempfile.mkstemp(prefix="talkshow-llama-", suffix=".log")[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1`` (valid once started)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (for its memory and CPU in telemetry and tests)."""
        return self._process.pid if self.running() and self._process is not None else None

    def __enter__(self) -> LlamaServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the server (if it is not running) and wait until it serves the model; LlamaServerError if not."""
        if self.running():
            return
        # Found, not imported: importing it would load llama.cpp's library into the show's process.
        if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("sse_starlette") is None:
            raise LlamaServerError("the embedded brain needs llama-cpp-python[server]: run make setup")
        self.port = self.port or _free_port()
        command = [
            sys.executable, "-m", "talkshow.llm.child", str(os.getpid()), "--model", str(self.model),
            "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.context_tokens),
            "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads),
            "--interrupt_requests", str(self.interrupt_requests), "--verbose", "False",
            # The server's default keeps every evaluated token's logits (context x vocabulary floats:
            # 400 MB for SmolLM2, 2 GB for Gemma 3 at 2048 tokens); talkshow never asks for logprobs.
            "--logits_all", "False",
            # A prompt is read 128 tokens a step, not 512: the step's buffers are a quarter the size (SmolLM2 after
            # an 823-token prompt: 243 MB resident, not 262), and on these cores no slower (2.82 s to the first
            # token, median of 6, against 2.97 s).
            "--n_batch", str(PROMPT_BATCH_TOKENS), "--n_ubatch", str(PROMPT_BATCH_TOKENS),
        ]  # fmt: skip
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise LlamaServerError(f"the LLM server exited with {self._process.returncode}: {self._tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/models", timeout=2).status_code == 200:
                    logger.info("brain: llama.cpp serving %s at %s", self.model.name, self.base_url)
                    return
            time.sleep(0.2)
        tail = self._tail()
        self._stop_child()
        raise LlamaServerError(f"the LLM server did not answer in {self.start_timeout_s:g} s: {tail}")

    def running(self) -> bool:
        """Whether the child is alive."""
        return self._process is not None and self._process.poll() is None

    def ensure_running(self) -> bool:
        """Start the server again (same port) if it died; whether it had to."""
        if self._process is None or self.running():
            return False
        logger.warning("brain: the LLM server exited with %s; starting it again", self._process.returncode)
        self.restarts += 1
        self.start()
        return True

    def close(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL after 5 s) and remove its log; idempotent."""
        self._stop_child()
        if not os.environ.get("TALKSHOW_KEEP_LLM_LOG"):  # set it to read what the server said
            self._log.unlink(missing_ok=True)

    def _stop_child(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _tail(self) -> str:
        with contextlib.suppress(OSError):
            return self._log.read_text(errors="replace")[-800:].strip() or "(no output)"
        return "(no log)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
