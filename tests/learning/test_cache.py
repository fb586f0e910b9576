"""The Redis cache backend (learning.cache): Django's, with its redis-py client made once per
connection pool rather than on every call."""

import threading

import pytest
import redis

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
