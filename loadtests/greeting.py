"""The first frame a learner's socket reads, read as live.js reads it.

Apart from the Locust suite (loadtests/learners.py) so that it can be tested without gevent.
"""

import json

import websocket

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
