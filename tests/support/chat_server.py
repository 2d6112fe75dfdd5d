"""A local server speaking the OpenAI streaming chat-completions protocol (SSE), scripted per reply."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Script = list[tuple[float, str | None]]  # (delay before, piece); a None piece closes the reply mid-stream


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def json_line(speaker: str, text: str) -> str:
    """One reply line as the writer asks the model for it."""
    return json.dumps({"speaker": speaker, "text": text}) + "\n"


class ScriptedChat:
    """Answers request ``n`` (1-based) with ``reply(n)``, then ``[DONE]``; or with ``status`` if not 200."""

    def __init__(self, reply: Callable[[int], Script], status: int = 200) -> None:
        self.requests = 0
        self.bodies: list[dict[str, object]] = []  # each request's JSON body
        self.arrived: list[float] = []  # each request's time.perf_counter() on arrival
        self.closed_early = threading.Event()  # the client hung up while we were still sending
        self.native: list[tuple[str, dict[str, Any]]] = []  # Ollama's native API and llama.cpp's /health: (path, body)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer_json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                outer.native.append((self.path, {}))
                self._answer_json({"status": "ok"})  # llama.cpp server's /health once its model is loaded

            def do_POST(self) -> None:
                if self.path == "/api/generate":  # Ollama: an empty prompt loads the model and holds it keep_alive
                    body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    outer.native.append((self.path, body))
                    self._answer_json({"model": body["model"], "response": "", "done": True, "done_reason": "load"})
                    return
                outer.arrived.append(time.perf_counter())
                outer.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                outer.requests += 1
                self.send_response(status)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                if status != 200:
                    self.wfile.write(b'{"error": "model overloaded"}')
                    return
                try:
                    for delay, piece in reply(outer.requests):
                        time.sleep(delay)
                        if piece is None:
                            return
                        chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                except OSError:
                    outer.closed_early.set()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()


class KeepAliveChat:
    """OpenAI's streaming chat completions over HTTP/1.1 with keep-alive (uvicorn), noting each request's
    client port, so a test can tell whether a client reused its connection."""

    def __init__(self, reply: Callable[[int], list[str]]) -> None:
        import socket

        import uvicorn
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import StreamingResponse
        from starlette.routing import Route

        self.ports: list[int] = []  # the client port of each request, in order

        async def completions(request: Request) -> StreamingResponse:
            await request.json()
            self.ports.append(request.client.port if request.client else -1)
            pieces = reply(len(self.ports))

            async def events() -> Any:
                for piece in pieces:
                    yield f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': piece}}]})}\n\n"
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        app = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
        listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="error"))
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [listener]}, daemon=True)
        self._thread.start()
        while not self.server.started:
            time.sleep(0.01)

    def close(self) -> None:
        """Stop serving."""
        self.server.should_exit = True
        self._thread.join(timeout=5)
