"""Sending to a channel-layer group from synchronous code (learning.realtime): a shared (Redis)
layer is sent to by the process's background sender, in order, and a failure stays out of the
request that asked for the push."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer

from learning.realtime import SENDER, Sender, send_to_group


def test_pushes_handed_over_by_a_view_arrive_in_the_order_they_were_made(own_redis, settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [own_redis]}}
    }
    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("learner.test-order", channel)

    for n in range(40):
        send_to_group("learner.test-order", {"type": "learner.push", "message": {"n": n}})
    assert SENDER.flush(timeout=10)

    async def receive_all():
        return [(await asyncio.wait_for(layer.receive(channel), 5))["message"]["n"] for _ in range(40)]

    assert async_to_sync(receive_all)() == list(range(40))
    async_to_sync(layer.group_discard)("learner.test-order", channel)


def test_a_push_that_cannot_reach_redis_is_logged_not_raised(caplog):
    nowhere = RedisChannelLayer(hosts=[{"address": "redis://127.0.0.1:1/0", "socket_connect_timeout": 1}])
    sender = Sender()
    with caplog.at_level(logging.ERROR, logger="learning.realtime"):
        sender.send(nowhere, "learner.1", {"type": "learner.timers"})  # returns: nothing raised here
        assert sender.flush(timeout=10)
    assert any("Could not push to learner.1" in record.getMessage() for record in caplog.records)


def test_sends_beyond_the_limit_are_dropped_with_a_warning(caplog):
    sender = Sender(limit=0)
    nowhere = RedisChannelLayer(hosts=[{"address": "redis://127.0.0.1:1/0"}])
    with caplog.at_level(logging.WARNING, logger="learning.realtime"):
        sender.send(nowhere, "learner.2", {"type": "learner.timers"})
        assert sender.flush(timeout=5)
    assert any("dropped a push to learner.2" in record.getMessage() for record in caplog.records)
    assert not any(record.levelno >= logging.ERROR for record in caplog.records)  # never tried
