"""Django's Redis cache, with one redis-py client per connection pool instead of one per call."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
