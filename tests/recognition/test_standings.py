"""Monthly standings: the score of each trainee and hall (pure)."""

from datetime import date

import pytest

from trainer.recognition.standings import (
    Totals,
    composite,
    hall_standings,
    month_bounds,
    trainee_standings,
)


def test_month_bounds_roll_over_the_year():
    assert month_bounds(date(2026, 12, 15)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert month_bounds(date(2026, 2, 1)) == (date(2026, 2, 1), date(2026, 3, 1))


def test_parts_are_means_ratings_scale_to_100_and_clean_is_a_share():
    activity = Totals.from_results(
        1, exam_scores=[80, 90], drill_scores=[60, 100], ratings=[4, 5], clean_drills=1
    )
    assert activity.parts() == {"exam": 85, "drill": 80, "clean": 50, "rating": 90}


def test_missing_parts_are_left_out_of_the_weighted_mean():
    assert composite({"exam": 80}) == pytest.approx(80)
    both = composite({"exam": 80, "rating": 100})
    assert both == pytest.approx((0.35 * 80 + 0.25 * 100) / 0.6)


def test_trainees_are_ranked_with_ties_sharing_a_rank():
    standings = trainee_standings(
        [
            Totals.from_results(1, exam_scores=[70]),
            Totals.from_results(2, exam_scores=[90]),
            Totals.from_results(3, exam_scores=[90]),
            Totals.from_results(4),
        ]
    )
    assert [(s.rank, s.user_id) for s in standings] == [(1, 2), (1, 3), (3, 1)]


def test_halls_rank_by_the_mean_of_their_trainees():
    standings = trainee_standings(
        [
            Totals.from_results(1, exam_scores=[100]),
            Totals.from_results(2, exam_scores=[60]),
            Totals.from_results(3, exam_scores=[90]),
            Totals.from_results(4, exam_scores=[50]),
        ]
    )
    halls = hall_standings(standings, {1: 10, 2: 10, 3: 20, 4: None})
    assert [(h.rank, h.hall_id, h.score, h.people) for h in halls] == [
        (1, 20, 90, 1),
        (2, 10, 80, 2),
    ]
