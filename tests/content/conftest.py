import shutil
from pathlib import Path

import pytest
import yaml

from trainer import ROOT
from trainer.content.loading import load_library

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = ROOT / "scripts_library"


def shipped_programme_modules(code: str = "window-staff") -> list[str]:
    """The shipped programme's modules in study order, as programmes.yaml lists them."""
    doc = yaml.safe_load((SHIPPED / "programmes.yaml").read_text(encoding="utf-8"))
    return next(p["modules"] for p in doc["programmes"] if p["code"] == code)


@pytest.fixture
def library(db, programme):
    """The shipped scripts library, loaded into the test database."""
    report = load_library(SHIPPED)
    db.session.commit()
    return report


@pytest.fixture
def library_copy(tmp_path):
    """A writable copy of the shipped library's content files."""
    target = tmp_path / "library"
    for name in ("procedures", "phrases", "modules"):
        shutil.copytree(SHIPPED / name, target / name)
    shutil.copy(SHIPPED / "programmes.yaml", target / "programmes.yaml")
    return target
