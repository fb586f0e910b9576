"""The Redis channel layer as configured: a consumer's receive survives a stalled event loop.

channels_redis waits for messages with BZPOPMIN for 5 s at a time, and redis-py 8 gives every
read a 5 s socket timeout by default. A loop that stalls for a moment (a burst of handshakes)
then finds the read "timed out" and the consumer dies with its socket: the load test saw it.
"""

import asyncio
import time

import pytest
from channels.layers import get_channel_layer
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis layer is used only with REDIS_URL")


async def test_a_receive_outlives_a_stalled_event_loop():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    receiving = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0.5)  # the blocking pop is on its way to Redis
    time.sleep(layer.brpop_timeout + 1)  # the loop stalls past the pop's own timeout
    await layer.send(channel, {"type": "presence.ping"})
    message = await asyncio.wait_for(receiving, timeout=20)
    assert message["type"] == "presence.ping"
