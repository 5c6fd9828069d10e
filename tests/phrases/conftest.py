import pytest

from trainer import ROOT
from trainer.content.loading import load_library


@pytest.fixture
def library(db, programme):
    report = load_library(ROOT / "scripts_library")
    db.session.commit()
    return report
