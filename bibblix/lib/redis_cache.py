"""Django's Redis cache with one client per connection pool, made once per process.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation, and
building one (its table of response callbacks) cost about as much as the round trip itself: a
logged-in child's page asks Redis two or three times. A `redis.Redis` is safe to share between
threads (each command takes a connection from the pool), so each pool gets one, kept.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
