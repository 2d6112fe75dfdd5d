"""Start and stop the tests' local HTTP servers (vendor protocols spoken on loopback)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def start(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Serve ``handler`` on a free loopback port from a daemon thread."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def stop(httpd: ThreadingHTTPServer) -> None:
    """Stop serving and close the listening socket."""
    httpd.shutdown()
    httpd.server_close()


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler that answers JSON and logs nothing (the vendor servers' common part)."""

    def send_json(self, status: int, body: object) -> None:
        """Answer ``status`` with ``body`` as JSON; a client that already left is no error of ours."""
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


def poll_until(what: str, ready: Callable[[], object], seconds: float, explain: Callable[[], str] = str) -> None:
    """Return once ``ready()`` is truthy (an HTTP error counts as not yet); TimeoutError naming ``what``
    (and what ``explain()`` adds, such as a log's tail) after ``seconds``."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {seconds:g} s waiting for {what}\n{explain()}")
        time.sleep(0.2)
