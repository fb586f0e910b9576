"""Admission of live-socket handshakes: a server process works on a bounded number at once.

After a deploy every open page reconnects. A handshake's work (session, account, presence facts)
waits its turn for one of the process's few database threads for sockets, behind every
handshake that came before it. Unbounded, that queue grows faster than the process works
through it: clients give up on handshakes still queued, retry, and the server spends itself on
work nobody waits for any more, a storm that does not end by itself (6,000 learners on 6 Dec).

So each process lets at most ``LIVE_HANDSHAKES_IN_FLIGHT`` handshakes be in progress. One more
is accepted and closed at once with 4503 "try again later", without touching the database; its
page comes back after a random wait within its reconnect spread, and waits longer each time it
is turned away again (learning/static/js/live.js).
A handshake admitted but then queued too long is turned away the same way before its database
work (learning/consumers.py). Each handshake is stamped with the moment it arrived.
"""

import time

from django.conf import settings

# RFC 6455's 1013 "try again later" is one a server may not send through Daphne's library
# (learning/consumers.py): the application range, as HTTP 503.
CLOSE_TRY_AGAIN_LATER = 4503


class HandshakeAdmission:
    """ASGI middleware for the websocket protocol; one instance (and count) per process."""

    def __init__(self, app) -> None:
        self.app = app
        self.in_flight = 0  # arrived and not yet accepted or closed

    async def __call__(self, scope, receive, send):
        if self.in_flight >= settings.LIVE_HANDSHAKES_IN_FLIGHT:
            return await turn_away(receive, send)
        self.in_flight += 1
        pending = True

        async def counted_send(message: dict) -> None:
            nonlocal pending
            if pending and message["type"] in {"websocket.accept", "websocket.close"}:
                pending = False
                self.in_flight -= 1
            await send(message)

        try:
            return await self.app({**scope, "arrived_at": time.monotonic()}, receive, counted_send)
        finally:
            if pending:  # the client left, or the application failed, before an answer
                self.in_flight -= 1


async def turn_away(receive, send) -> None:
    """Accept and close with 4503, so the page counts it as a close by the server."""
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})
        elif message["type"] == "websocket.disconnect":
            return
