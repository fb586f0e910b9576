"""Django's Redis cache, with one redis-py client per connection pool, shared by the process."""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class ReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new `redis.Redis` for every cache call, and redis-py copies its 170-odd
    response callbacks into a new dictionary each time: three to five times a request (session,
    kept account and notifications, page-tree token), about 5 % of a page's CPU in the profile.
    A client holds only its pool (each command takes a connection from it and gives it back), so
    one per pool is enough; the pool itself starts afresh in a forked process."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


_shared: dict[tuple, ReusingRedisCacheClient] = {}
_shared_lock = threading.Lock()


class ReusingRedisCache(RedisCache):
    """Django keeps one cache object per thread and, under ASGI, per connection: every socket
    handshake got a new one, with new pools, a new TCP connection to Redis and redis-py's
    version lookup on the file system (15 % of a handshake's CPU in the profile). The pools are
    safe to share between threads, so every cache object of a process uses the same client."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    @cached_property
    def _cache(self) -> ReusingRedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _shared_lock:
            client = _shared.get(key)
            if client is None:
                client = _shared[key] = self._class(self._servers, **self._options)
        return client
