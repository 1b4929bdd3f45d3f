"""A fake PostgreSQL server on 127.0.0.1 that misbehaves on purpose, for the deadline tests.

It speaks just enough of the frontend/backend protocol (version 3,
https://www.postgresql.org/docs/current/protocol-flow.html) to let libpq finish its login, and then
does what a broken server or proxy does:

- `silent`: accepts the TCP connection and never says anything (not even to the login);
- `after-login`: completes the login (AuthenticationOk, ParameterStatus, BackendKeyData,
  ReadyForQuery) and then never answers a query, keeping the connection open;
- `reset`: closes the connection as soon as the client speaks;
- `garbage`: answers the login with bytes that are no protocol message.

    with FakePostgres("after-login") as fake:
        url = fake.url("secret-password")

Leaving the `with` block closes every socket and joins the server's threads.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType
from typing import Self

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104
PROTOCOL_3 = 196608
MODES = ("silent", "after-login", "reset", "garbage")


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def _login_answer() -> bytes:
    parameters = {
        "server_version": "15.0",
        "server_encoding": "UTF8",
        "client_encoding": "UTF8",
        "DateStyle": "ISO, MDY",
        "integer_datetimes": "on",
        "standard_conforming_strings": "on",
        "TimeZone": "UTC",
    }
    answer = _message(b"R", struct.pack("!i", 0))  # AuthenticationOk
    for name, value in parameters.items():
        answer += _message(b"S", name.encode() + b"\0" + value.encode() + b"\0")
    answer += _message(b"K", struct.pack("!ii", 4242, 271828))  # BackendKeyData
    return answer + _message(b"Z", b"I")  # ReadyForQuery, idle


class FakePostgres:
    def __init__(self, mode: str) -> None:
        assert mode in MODES, mode
        self.mode = mode
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._closing = threading.Event()
        self._threads: list[threading.Thread] = []
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self.logins = 0  # startup messages answered
        self.queries = 0  # messages received after the login

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def url(self, password: str, dbname: str = "app", extra: str = "") -> str:
        return f"postgresql://gate:{password}@127.0.0.1:{self.port}/{dbname}{extra}"

    def __enter__(self) -> Self:
        thread = threading.Thread(target=self._accept, name="fake-postgres", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._closing.set()
        with self._lock:
            for client in self._clients:
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)
                client.close()
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(0.1)
            with self._lock:
                self._clients.append(client)
            thread = threading.Thread(
                target=self._serve, args=(client,), name="fake-postgres-client", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _read(self, client: socket.socket, size: int) -> bytes | None:
        data = b""
        while len(data) < size:
            if self._closing.is_set():
                return None
            try:
                chunk = client.recv(size - len(data))
            except TimeoutError:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def _serve(self, client: socket.socket) -> None:
        if self.mode == "silent":
            while self._read(client, 1) is not None:  # read and ignore, answer nothing
                pass
            return
        while True:  # SSL or GSS requests come before the startup message
            head = self._read(client, 8)
            if head is None:
                return
            length, code = struct.unpack("!ii", head)
            if self.mode == "reset":
                with contextlib.suppress(OSError):
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                return
            if code in (SSL_REQUEST, GSS_REQUEST):
                client.sendall(b"N")  # no TLS here: libpq goes on in the clear (sslmode=prefer)
                continue
            if self._read(client, length - 8) is None:
                return
            break
        if self.mode == "garbage":
            client.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n\x00\x01\x02")
            while self._read(client, 1) is not None:
                pass
            return
        client.sendall(_login_answer())
        self.logins += 1
        while self._read(client, 1) is not None:  # the first query: never answered
            self.queries += 1
