"""Both stores answer the same calls the same way: the database and a real S3 server."""

import pytest

from trainer.storage import DatabaseStore, StorageError, store_from_url


@pytest.fixture(params=["database", "s3"])
def store(request, db):
    if request.param == "database":
        return DatabaseStore()
    return request.getfixturevalue("s3_store")


def test_a_stored_file_reads_back_byte_for_byte(store, db):
    store.put("certificates/2027/SQ-2027-000001.pdf", b"%PDF-1.7 \x00\xff")
    db.session.commit()
    assert store.get("certificates/2027/SQ-2027-000001.pdf") == b"%PDF-1.7 \x00\xff"
    assert store.exists("certificates/2027/SQ-2027-000001.pdf")


def test_putting_a_key_again_replaces_its_bytes(store, db):
    store.put("question-assets/abc", b"one")
    db.session.commit()
    store.put("question-assets/abc", b"two")
    db.session.commit()
    assert store.get("question-assets/abc") == b"two"


def test_an_absent_key_is_file_not_found(store):
    assert not store.exists("certificates/nothing.pdf")
    with pytest.raises(FileNotFoundError):
        store.get("certificates/nothing.pdf")


def test_keys_list_by_prefix_and_missing_names_the_absent(store, db):
    for key in ("certificates/2027/a.pdf", "certificates/2028/b.pdf", "question-assets/c"):
        store.put(key, key.encode())
    db.session.commit()
    assert list(store.keys("certificates/")) == [
        "certificates/2027/a.pdf",
        "certificates/2028/b.pdf",
    ]
    wanted = {"certificates/2027/a.pdf", "certificates/2027/gone.pdf", "question-assets/c"}
    assert store.missing(wanted) == {"certificates/2027/gone.pdf"}


def test_a_deleted_file_is_gone(store, db):
    store.put("certificates/x.pdf", b"x")
    db.session.commit()
    store.delete("certificates/x.pdf")
    db.session.commit()
    assert not store.exists("certificates/x.pdf")


def test_s3_keys_live_under_the_configured_prefix(s3_store):
    s3_store.put("certificates/2027/a.pdf", b"a")
    listed = s3_store.client.list_objects_v2(Bucket=s3_store.bucket)["Contents"]
    assert [item["Key"] for item in listed] == ["site/certificates/2027/a.pdf"]


def test_a_write_to_a_missing_bucket_is_a_storage_error_naming_the_key(s3_store):
    s3_store.client.delete_bucket(Bucket=s3_store.bucket)
    with pytest.raises(StorageError, match="certificates/a.pdf.*NoSuchBucket"):
        s3_store.put("certificates/a.pdf", b"a")


def test_the_storage_url_chooses_the_backend():
    assert isinstance(store_from_url(None), DatabaseStore)
    s3 = store_from_url("s3://bucket/some/prefix", "http://127.0.0.1:9000")
    assert (s3.name, s3.bucket, s3.prefix, s3.endpoint_url) == (
        "s3",
        "bucket",
        "some/prefix/",
        "http://127.0.0.1:9000",
    )
    with pytest.raises(ValueError, match="TRAINER_STORAGE_URL"):
        store_from_url("ftp://elsewhere")
