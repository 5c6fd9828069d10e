"""Results that are costly to compute and the same on every instance, kept until their stamp
changes (issue 25: item analysis, standings).

A caller gives a `stamp`: a few numbers read from the database in one cheap statement that
change whenever the result would (e.g. count, newest id and newest grading time of the graded
attempts it reads). The stamp is part of the key, so a new graded attempt makes every
instance miss at its next request; nothing needs to be told. Two layers: this process's
memory (app.extensions, a small LRU), then Redis when REDIS_URL is set, so an instance reuses
what a peer computed. A GET never writes the database, so the database is not a layer; Redis
trouble costs a recomputation, never the page.
"""

import hashlib
import logging
import pickle
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError

T = TypeVar("T")

PROCESS_ENTRIES = 32  # per cache name
REDIS_SECONDS = 24 * 3600  # a stale stamp's entry is never read again; this only frees memory
PREFIX = "trainer:cache:"

log = logging.getLogger(__name__)


def _process_cache(name: str) -> OrderedDict:
    caches = current_app.extensions.setdefault("shared_cache", {})
    return caches.setdefault(name, OrderedDict())


def _redis() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("shared_cache_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, **current_app.config.get("REDIS_OPTIONS", {}))
    return clients[url]


def redis_key(name: str, key: tuple, stamp: tuple) -> str:
    digest = hashlib.sha256(repr((key, stamp)).encode()).hexdigest()[:32]
    return f"{PREFIX}{name}:{digest}"


def stamped(name: str, key: tuple, stamp: tuple, compute: Callable[[], T]) -> T:
    """compute(), or what it returned before for this key and stamp (here or on a peer)."""
    local = _process_cache(name)
    hit = local.get(key)
    if hit is not None and hit[0] == stamp:
        local.move_to_end(key)
        return hit[1]
    redis, shared_key = _redis(), redis_key(name, key, stamp)
    value = _from_redis(redis, shared_key)
    if value is None:
        value = compute()
        _to_redis(redis, shared_key, value)
    local[key] = (stamp, value)
    while len(local) > PROCESS_ENTRIES:
        local.popitem(last=False)
    return value


def _from_redis(redis: Redis | None, key: str):
    if redis is None:
        return None
    try:
        data = redis.get(key)
    except RedisError as error:
        log.warning("Shared cache unreachable, computing locally: %s", error)
        return None
    # Only this application writes under PREFIX (the Redis is the site's own, as for RQ).
    return pickle.loads(data) if data else None  # noqa: S301


def _to_redis(redis: Redis | None, key: str, value) -> None:
    if redis is None:
        return
    try:
        redis.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=REDIS_SECONDS)
    except RedisError as error:
        log.warning("Shared cache unreachable, result kept in this process: %s", error)
