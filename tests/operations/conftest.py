"""Operations fixtures: throwaway apps on the test database, dead and silent servers."""

import socket
import threading

import pytest

from tests.certificates.conftest import bring_to
from tests.storage.conftest import s3_server, s3_store  # noqa: F401  (fixtures)
from trainer.certificates.services import certificate_for
from trainer.permissions import Role
from trainer.training.stages import Stage


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a frozen server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def dead_port():
    """A port nothing listens on (bound, then released)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def certificate(db, make_user, make_hall, make_enrolment, make_cohort):
    trainer = make_user(Role.TRAINER, name="王培训")
    trainee = make_user(Role.TRAINEE, name="李晓梅", hall=make_hall(name="人民路营业厅"))
    enrolment = make_enrolment(trainee, make_cohort(trainer=trainer))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer)
    db.session.commit()
    return certificate_for(enrolment)


def run_with_deadline(func, seconds: float):
    """Run `func` in a thread; its result, or AssertionError if it still runs after `seconds`
    (a liveness bound: without timeouts these calls hang for good)."""
    result = {}

    def target():
        try:
            result["value"] = func()
        except BaseException as exc:  # handed to the test
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["value"]
