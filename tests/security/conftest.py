import pytest


@pytest.fixture(autouse=True)
def _production_session_timeouts(session_timeouts):
    """Every test here runs with the production session timeouts."""
