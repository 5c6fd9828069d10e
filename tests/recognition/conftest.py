"""Recognition tests reuse the report fixtures (quizzes, drills, placements)."""

from tests.reports.conftest import (  # noqa: F401  (fixtures)
    make_attempt,
    make_quiz,
    matcher,
    mentor,
    place,
    plan,
    play,
    scenarios,
)
