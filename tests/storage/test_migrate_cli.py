"""`trainer storage migrate`: PDFs from the old instance/ folder, and files from the database
into S3; `trainer storage info`."""

from trainer import storage
from trainer.storage import DatabaseStore


def old_folder(tmp_path):
    folder = tmp_path / "certificates"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "SQ-2026-000001.pdf").write_bytes(b"%PDF-1.7 one")
    (folder / "2026" / "SQ-2026-000002.pdf").write_bytes(b"%PDF-1.7 two")
    (folder / "2026" / "SQ-2026-000003.pdf.tmp").write_bytes(b"")  # a failed write's leftover
    return folder


def test_pdfs_in_the_old_folder_move_into_the_store_once(runner, tmp_path, db):
    folder = old_folder(tmp_path)
    result = runner.invoke(args=["storage", "migrate", "--from-folder", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 files copied, 0 already stored" in result.output
    assert storage.get("certificates/2026/SQ-2026-000002.pdf") == b"%PDF-1.7 two"

    again = runner.invoke(args=["storage", "migrate", "--from-folder", str(folder)])
    assert "0 files copied, 2 already stored" in again.output


def test_the_old_folder_defaults_to_trainer_certificate_dir(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_CERTIFICATE_DIR", str(old_folder(tmp_path)))
    result = runner.invoke(args=["storage", "migrate"])
    assert "2 files copied" in result.output


def test_a_missing_folder_given_by_name_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["storage", "migrate", "--from-folder", str(tmp_path / "no")])
    assert result.exit_code == 2 and "is not a folder" in result.output


def test_files_in_the_database_copy_to_s3(app, runner, db, s3_store, tmp_path, monkeypatch):
    DatabaseStore().put("question-assets/abc", b"\x89PNG image")
    db.session.commit()
    monkeypatch.setitem(app.extensions, "storage", s3_store)
    result = runner.invoke(
        args=["storage", "migrate", "--from-database", "--from-folder", str(old_folder(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    assert "database: 1 files copied to s3" in result.output
    assert s3_store.get("question-assets/abc") == b"\x89PNG image"
    assert s3_store.get("certificates/2026/SQ-2026-000001.pdf") == b"%PDF-1.7 one"
    info = runner.invoke(args=["storage", "info"])
    assert f"storage: s3 — {s3_store.url}; 3 files" in info.output


def test_copying_the_database_into_itself_is_refused(runner):
    result = runner.invoke(args=["storage", "migrate", "--from-database"])
    assert result.exit_code == 2 and "the database itself" in result.output
