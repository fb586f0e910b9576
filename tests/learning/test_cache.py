"""The Redis cache backend (learning.cache): Django's, with its redis-py client made once per
connection pool rather than on every call."""

import asyncio
import threading

import pytest
import redis
from asgiref.sync import sync_to_async

from learning.cache import ReusingRedisCache


@pytest.fixture
def cache(own_redis):
    backend = ReusingRedisCache(own_redis, {"KEY_PREFIX": "test-reusing-cache"})
    yield backend
    backend.close()


def test_it_keeps_what_the_session_and_kept_values_need(cache):
    cache.set("a", {"name": "Nguyễn Thị Hoa"}, 60)
    cache.set_many({"b": 1, "c": 2}, 60)
    assert cache.get("a") == {"name": "Nguyễn Thị Hoa"}
    assert cache.get_many(["a", "b", "c", "missing"]) == {"a": {"name": "Nguyễn Thị Hoa"}, "b": 1, "c": 2}
    assert cache.add("b", 5) is False and cache.incr("b") == 2
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b", "c"]) == {"c": 2}
    cache.set("short", "x", 0)  # a timeout of 0 means "already expired", as in Django's
    assert cache.get("short") is None


def test_after_the_first_call_no_call_from_any_thread_builds_a_client(cache, monkeypatch):
    cache.set("first", 1, 60)
    built = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)

    def work(n: int) -> None:
        for i in range(50):
            cache.set(f"k{n}-{i}", i, 60)
            assert cache.get(f"k{n}-{i}") == i

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get_many([f"k{n}-49" for n in range(4)]) == {f"k{n}-49": 49 for n in range(4)}
    assert built == []  # Django's own backend builds one per call: 401 here


def test_every_cache_object_of_the_process_shares_one_client_and_its_connections(own_redis, monkeypatch):
    """Django makes a cache object per thread and, under ASGI, per connection (each socket
    handshake): none of them may build a client or open a connection of its own."""
    first = ReusingRedisCache(own_redis, {"KEY_PREFIX": "test-shared-cache"})
    first.set("greeting", "Xin chào", 60)
    opened = []
    original = redis.Connection._connect

    def counting_connect(self):
        opened.append(1)
        return original(self)

    monkeypatch.setattr(redis.Connection, "_connect", counting_connect)

    async def handshake(n: int) -> str:
        backend = ReusingRedisCache(own_redis, {"KEY_PREFIX": "test-shared-cache"})
        return await sync_to_async(backend.get)("greeting")

    async def many() -> list[str]:
        return await asyncio.gather(*(handshake(n) for n in range(20)))

    assert asyncio.run(many()) == ["Xin chào"] * 20
    assert opened == []  # each new object opened a connection of its own before
    other = ReusingRedisCache(own_redis, {"KEY_PREFIX": "another-prefix"})
    assert other._cache is first._cache  # the key prefix lives in the object, not the client
    separate = ReusingRedisCache(own_redis, {"KEY_PREFIX": "x", "OPTIONS": {"db": 9}})
    assert separate._cache is not first._cache
