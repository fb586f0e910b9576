"""The Locust learner reads the server's first frame as live.js does: over a real socket pair,
with the frames a server sends (unmasked), through websocket-client itself."""

import socket
import struct

import pytest
import websocket

from loadtests.greeting import TRY_AGAIN_LATER, TryAgainLater, read_greeting


def client_reading(*frames: websocket.ABNF) -> websocket.WebSocket:
    ours, servers = socket.socketpair()
    for frame in frames:
        servers.sendall(frame.format())
    client = websocket.WebSocket()
    client.sock, client.connected = ours, True
    client.server_end = servers  # kept open while the client answers pings and closes
    return client


def frame(opcode: int, data: bytes) -> websocket.ABNF:
    return websocket.ABNF(fin=1, opcode=opcode, mask_value=0, data=data)


def test_hello_after_a_ping_is_a_greeting():
    client = client_reading(
        frame(websocket.ABNF.OPCODE_PING, b"p"), frame(websocket.ABNF.OPCODE_TEXT, b'{"type": "hello"}')
    )
    read_greeting(client)  # returns


def test_a_close_with_4503_says_come_back_later():
    client = client_reading(frame(websocket.ABNF.OPCODE_CLOSE, struct.pack("!H", TRY_AGAIN_LATER)))
    with pytest.raises(TryAgainLater):
        read_greeting(client)


@pytest.mark.parametrize("data", [struct.pack("!H", 4401), b""])
def test_any_other_close_is_a_plain_failure(data):
    client = client_reading(frame(websocket.ABNF.OPCODE_CLOSE, data))
    with pytest.raises(ConnectionError) as raised:
        read_greeting(client)
    assert not isinstance(raised.value, TryAgainLater)


def test_anything_but_hello_is_a_failure():
    with pytest.raises(ValueError, match="unexpected greeting"):
        read_greeting(client_reading(frame(websocket.ABNF.OPCODE_TEXT, b'{"type": "pong"}')))
