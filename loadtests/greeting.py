"""The start of a learner's socket: the handshake's response, and the first frame, read as live.js
reads it.

Apart from the Locust suite (loadtests/learners.py) so that it can be tested without gevent.
"""

import json
import socket
import ssl

import websocket
import websocket._http

# The close code of a handshake the server was too busy for (learning/handshakes.py).
TRY_AGAIN_LATER = 4503


class TryAgainLater(ConnectionError):
    """The server accepted the socket and closed it at once: come back within the spread."""


def read_greeting(socket: websocket.WebSocket) -> None:
    """Return once the server says hello; raise if it says anything else or closes."""
    opcode, data = socket.recv_data()  # answers pings on the way; data is the frame's bytes
    if opcode == websocket.ABNF.OPCODE_CLOSE:
        code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
        if code == TRY_AGAIN_LATER:
            raise TryAgainLater("the server was too busy (4503)")
        raise ConnectionError(f"closed at once with code {code}")
    hello = json.loads(data)
    if hello != {"type": "hello"}:
        raise ValueError(f"unexpected greeting {hello!r}")


_byte_by_byte = websocket._http.recv_line


def recv_line_peeking(sock: socket.socket) -> bytes:
    """One line of the handshake's response, taken in two reads rather than one read per byte.

    websocket-client reads the response's lines a byte at a time (``websocket._socket.recv_line``):
    some 250 system calls, each with its Python around it, for every socket a learner opens, which
    the load generator paid on the same two cores as the servers for every arrival and every
    reconnect. This looks at what has arrived without taking it (``MSG_PEEK``), then takes exactly
    up to the end of the line, so nothing after the headers (the first frame) is consumed."""
    if isinstance(sock, ssl.SSLSocket):  # TLS cannot peek; the suite speaks plain ws:// anyway
        return _byte_by_byte(sock)
    line = b""
    while True:
        try:
            seen = sock.recv(4096, socket.MSG_PEEK)
        except TimeoutError as error:
            raise websocket.WebSocketTimeoutException(str(error)) from error
        if not seen:
            raise websocket.WebSocketConnectionClosedException("Connection to remote host was lost.")
        end = seen.find(b"\n")
        line += sock.recv(len(seen) if end < 0 else end + 1)  # already arrived: recv returns it all
        if end >= 0:
            return line


def read_handshake_lines_peeking() -> None:
    """Have websocket-client read handshake responses with recv_line_peeking (for this process)."""
    websocket._http.recv_line = recv_line_peeking
