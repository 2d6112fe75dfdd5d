"""Start and stop the tests' local HTTP servers (vendor protocols spoken on loopback)."""

from __future__ import annotations

import threading
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
