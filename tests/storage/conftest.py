"""A real S3 server for the storage tests: moto's server mode on a free local port."""

import socket
import uuid

import pytest

from trainer.storage import S3Store

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "trainer-test",
    "AWS_SECRET_ACCESS_KEY": "trainer-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of an S3 server (moto's ThreadedMotoServer) running for the session."""
    # slow to import: only the S3 tests pay for it
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_store(s3_server, monkeypatch):
    """A store on a new, empty bucket of its own (under the prefix `site`); the credentials
    come from the environment, as boto3 reads them in production."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    bucket = f"trainer-{uuid.uuid4().hex[:12]}"
    store = S3Store(f"s3://{bucket}/site", endpoint_url=s3_server)
    store.client.create_bucket(Bucket=bucket)
    return store
