"""The HTTP server under every fake API of the tests: threaded, on 127.0.0.1 only, and stopped whole.

Stopping it wakes the handler threads blocked on keep-alive reads (their sockets are shut down)
and joins them, so no test leaves a thread behind.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins every handler thread
    block_on_close = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], name: str) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.clients: set[socket.socket] = set()
        self.clients_lock = threading.Lock()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, name=name, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.shutdown()
        with self.clients_lock:
            for client in self.clients:  # wake handler threads blocked on keep-alive reads
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)
        self.server_close()  # joins the handler threads (block_on_close)
        self._thread.join()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, our own resets) are part of the tests, not errors."""


class TrackedHandler(BaseHTTPRequestHandler):
    """Keep-alive like the real APIs; each open connection known to the server so it can stop."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms stalls
    server: LoopbackServer

    def setup(self) -> None:
        super().setup()
        with self.server.clients_lock:
            self.server.clients.add(self.connection)

    def finish(self) -> None:
        with self.server.clients_lock:
            self.server.clients.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read what the fake recorded instead."""

    def do_GET(self) -> None:
        self.answer("GET")

    def do_POST(self) -> None:
        self.answer("POST")

    def do_PATCH(self) -> None:
        self.answer("PATCH")

    def answer(self, method: str) -> None:
        """Read the request, record it and answer it: each fake's own behaviour."""
        raise NotImplementedError
