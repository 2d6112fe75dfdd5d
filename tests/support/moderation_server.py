"""A local server speaking OpenAI's moderation endpoint and (non-streaming) chat completions, for stage 2.

``judge(text)`` decides each answer: ``(delay_s, status, flagged_or_reply)``. For
``/v1/moderations`` a bool is the ``flagged`` field; for ``/v1/chat/completions`` a string is
the model's reply (a judge says ``safe`` or ``unsafe\\nS1``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer

from support.local_http import JsonHandler

Rule = Callable[[str], tuple[float, int, "bool | str"]]


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class ModerationServer:
    """OpenAI's ``/v1/moderations`` and ``/v1/chat/completions`` on loopback, answering by ``rule``."""

    def __init__(self, rule: Rule) -> None:
        self.seen: list[tuple[str, str]] = []  # (path, the text judged)
        outer = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802  # http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                moderations = self.path == "/v1/moderations"
                text = str(body["input"]) if moderations else str(body["messages"][-1]["content"])
                outer.seen.append((self.path, text))
                delay, status, verdict = rule(text)
                time.sleep(delay)
                if status != 200:
                    self.send_json(status, {"error": {"message": "overloaded", "type": "server_error"}})
                elif moderations:
                    categories = {"harassment": bool(verdict), "violence": False}
                    scores = {"harassment": 0.97 if verdict else 0.01, "violence": 0.002}
                    result = {"flagged": bool(verdict), "categories": categories, "category_scores": scores}
                    self.send_json(200, {"id": "modr-1", "model": body.get("model"), "results": [result]})
                else:
                    message = {"role": "assistant", "content": str(verdict)}
                    choice = {"index": 0, "message": message, "finish_reason": "stop"}
                    self.send_json(200, {"id": "chatcmpl-1", "object": "chat.completion", "choices": [choice]})

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()
