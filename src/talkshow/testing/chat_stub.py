"""A local OpenAI-compatible chat server that streams a reply with a set first-token delay.

For ``talkshow bench talk``: the LLM's part of the latency is fixed and known, so what is
measured is everything else. It speaks the real protocol: ``POST /v1/chat/completions``
with ``stream: true`` answers server-sent events of ``choices[0].delta.content``, then
``data: [DONE]``. Each reply is different (its opening names the request and repeats the
caller's last words), so no reply is ever found in the speech cache: every one is voiced.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["StubChat"]

OPENINGS = ("Oh, I love that.", "Now there's a thought.", "Ha, good one.", "Hmm, let me see.", "Right, okay.")
REPLY = "Let me tell you what I really think about it. Call me anytime."


def vary(request_number: int, body: dict[str, object], rest: str) -> str:
    """Reply ``request_number`` to ``body``: an opening that differs each time, then ``rest``."""
    messages = body.get("messages")
    heard = ""
    if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
        heard = " ".join(str(messages[-1].get("content", "")).split()[:4])
    opening = OPENINGS[request_number % len(OPENINGS)]
    return f"{opening} Number {request_number}, {heard or 'you said'}? {rest}"


class StubChat:
    """Serves on a free loopback port until ``close``; a context manager."""

    def __init__(self, first_token_s: float = 0.3, token_gap_s: float = 0.02, reply: str = REPLY) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                time.sleep(first_token_s)
                for word in vary(outer.requests, body, reply).split(" "):
                    chunk = {"choices": [{"index": 0, "delta": {"content": word + " "}}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                    time.sleep(token_gap_s)
                self.wfile.write(b"data: [DONE]\n\n")

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, name="stub-chat", daemon=True)
        self._thread.start()

    def __enter__(self) -> StubChat:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
