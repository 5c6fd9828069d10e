"""The shared cache: a result is kept until its stamp changes, and an instance reuses what a
peer computed when Redis is configured."""

import uuid

import pytest
from redis import Redis
from redis.exceptions import RedisError

from trainer.shared_cache import PREFIX, stamped

REDIS_URL = "redis://127.0.0.1:6379/14"  # a db of its own; only this test's keys are removed


class Counted:
    """A computation that remembers how often it ran."""

    def __init__(self, value):
        self.value, self.runs = value, 0

    def __call__(self):
        self.runs += 1
        return self.value


def test_the_same_stamp_reuses_the_result_and_a_new_stamp_recomputes(app):
    compute = Counted(["standings"])
    with app.app_context():
        stamped("demo", ("k",), (1, 10), compute)
        stamped("demo", ("k",), (1, 10), compute)
        assert compute.runs == 1
        stamped("demo", ("k",), (2, 11), compute)
        assert compute.runs == 2


@pytest.fixture
def redis_app(app, monkeypatch):
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    yield app
    for key in connection.scan_iter(f"{PREFIX}test-*"):
        connection.delete(key)


def test_another_instance_reuses_the_result_a_peer_computed(redis_app):
    name = f"test-{uuid.uuid4().hex[:8]}"
    first, peer = Counted({"rows": [1, 2]}), Counted({"rows": []})
    with redis_app.app_context():
        assert stamped(name, ("k",), (5,), first) == {"rows": [1, 2]}
        redis_app.extensions["shared_cache"].clear()  # the peer's memory holds nothing
        assert stamped(name, ("k",), (5,), peer) == {"rows": [1, 2]}
        assert peer.runs == 0
        assert stamped(name, ("k",), (6,), peer) == {"rows": []}  # a new result: recomputed


def test_an_unreachable_redis_costs_a_recomputation_not_the_page(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    compute = Counted(42)
    with app.app_context():
        assert stamped("demo", ("k",), (1,), compute) == 42
