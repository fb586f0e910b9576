"""The Locust learner reads the handshake's response and the server's first frame as live.js does:
over real sockets, with the frames a server sends (unmasked), through websocket-client itself."""

import base64
import hashlib
import re
import socket
import struct
import threading

import pytest
import websocket
import websocket._http

from loadtests.greeting import (
    TRY_AGAIN_LATER,
    TryAgainLater,
    read_greeting,
    read_handshake_lines_peeking,
    recv_line_peeking,
)

byte_by_byte = websocket._http.recv_line


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


RESPONSE_HEAD = (
    b"HTTP/1.1 101 Switching Protocols\r\n"
    b"Server: nginx/1.22.1\r\n"
    b"Upgrade: websocket\r\n"
    b"Connection: upgrade\r\n"
    b"Sec-WebSocket-Accept: %s\r\n"
    b"\r\n"
)


class CountingSocket:
    """A socket that counts its reads."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.reads = sock, 0

    def recv(self, *args):
        self.reads += 1
        return self.sock.recv(*args)


def test_handshake_lines_are_read_whole_and_nothing_after_them_is_taken():
    ours, servers = socket.socketpair()
    hello = frame(websocket.ABNF.OPCODE_TEXT, b'{"type": "hello"}').format()
    servers.sendall(RESPONSE_HEAD % b"abc=" + hello)  # the first frame right behind the headers
    counting = CountingSocket(ours)

    lines = []
    while (line := recv_line_peeking(counting)) != b"\r\n":
        lines.append(line)

    assert lines[0] == b"HTTP/1.1 101 Switching Protocols\r\n"
    assert lines[-1] == b"Sec-WebSocket-Accept: abc=\r\n"
    assert counting.reads == 2 * 6  # a peek and a take per line, not one read per byte
    assert ours.recv(4096) == hello  # left where it was for the frame reader


def test_a_line_that_arrives_in_pieces_is_read_whole():
    ours, servers = socket.socketpair()
    servers.sendall(b"HTTP/1.1 101 Swi")
    threading.Timer(0.05, servers.sendall, [b"tching Protocols\r\nUpgrade"]).start()

    assert recv_line_peeking(ours) == b"HTTP/1.1 101 Switching Protocols\r\n"
    assert ours.recv(4096) == b"Upgrade"


def test_a_connection_closed_in_the_middle_of_a_line_is_an_error():
    ours, servers = socket.socketpair()
    servers.sendall(b"HTTP/1.1 101 Swi")
    servers.close()
    with pytest.raises(websocket.WebSocketConnectionClosedException):
        recv_line_peeking(ours)


def test_a_real_handshake_and_greeting_through_websocket_client():
    """websocket-client itself, with the peeking reader, against a server that sends its 101 and
    the first frame in one write."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve():
        connection, _ = listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(4096)
        key = re.search(rb"Sec-WebSocket-Key: (\S+)", request, re.IGNORECASE).group(1)
        # RFC 6455 prescribes SHA-1 for the accept key.
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())  # noqa: S324
        connection.sendall(
            RESPONSE_HEAD % accept + frame(websocket.ABNF.OPCODE_TEXT, b'{"type": "hello"}').format()
        )
        connection.recv(4096)  # the client's close
        connection.close()

    server = threading.Thread(target=serve)
    server.start()
    read_handshake_lines_peeking()
    try:
        client = websocket.create_connection(f"ws://127.0.0.1:{port}/ws/live/", timeout=5)
        assert client.getstatus() == 101
        read_greeting(client)  # the frame was not swallowed with the headers
        client.close(timeout=0)
    finally:
        websocket._http.recv_line = byte_by_byte
        server.join(timeout=5)
        listener.close()
