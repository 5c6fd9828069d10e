"""Item analysis against numbers worked out by hand and against a direct formula implementation."""

import math
import random
import statistics

import numpy as np
import pytest

from trainer.reports.item_analysis import (
    NEGATIVE_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    WEAK_DISCRIMINATION,
    analyse,
    ordered_items,
    response_matrix,
)

# Four trainees, three one-mark questions, a perfect Guttman pattern:
#   A 1 1 1 (3)   B 1 1 0 (2)   C 1 0 0 (1)   D 0 0 0 (0)
GUTTMAN = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float)


@pytest.fixture
def guttman():
    return analyse(GUTTMAN, np.ones(3))


def test_facility_is_the_mean_mark_over_the_max_mark(guttman):
    assert [item.facility for item in guttman.items] == pytest.approx([0.75, 0.5, 0.25])


def test_sd_is_the_sample_standard_deviation_as_a_fraction_of_the_max_mark(guttman):
    # item 1: squared deviations .0625·3 + .5625 = .75, over n−1 = 3 → variance .25
    assert [item.sd for item in guttman.items] == pytest.approx([0.5, math.sqrt(1 / 3), 0.5])


def test_discrimination_correlates_the_item_with_the_rest_of_the_test(guttman):
    # item 1: cov(item, rest) = .25, var(item) = .25, var(rest) = 11/12 → .25/√(.25·11/12)
    # item 2: cov = 1/3, var = 1/3, var(rest) = 2/3 → 1/√2
    outer = 0.25 / math.sqrt(0.25 * 11 / 12)
    expected = [outer, 1 / math.sqrt(2), outer]
    assert [item.discrimination for item in guttman.items] == pytest.approx(expected)


def test_a_perfect_guttman_pattern_discriminates_with_full_efficiency(guttman):
    assert [item.discriminative_efficiency for item in guttman.items] == pytest.approx([1, 1, 1])


def test_cronbach_alpha_and_standard_error_of_the_test(guttman):
    # totals 3 2 1 0: variance 5/3; item variances .25 + 1/3 + .25 = 5/6 → alpha 1.5·(1 − .5)
    test = guttman.test
    assert (test.attempts, test.items, test.max_total) == (4, 3, 3.0)
    assert test.mean == pytest.approx(1.5)
    assert test.median == pytest.approx(1.5)
    assert test.sd == pytest.approx(math.sqrt(5 / 3))
    assert test.alpha == pytest.approx(0.75)
    assert test.error_ratio == pytest.approx(0.5)
    assert test.standard_error == pytest.approx(0.5 * math.sqrt(5 / 3))
    assert test.skewness == pytest.approx(0.0)


def test_an_item_the_weak_trainees_get_right_discriminates_negatively():
    marks = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1], [0, 0, 1]], dtype=float)
    analysis = analyse(marks, np.ones(3))
    assert analysis.items[2].discrimination < 0
    assert NEGATIVE_DISCRIMINATION in analysis.items[2].flags
    assert NEGATIVE_DISCRIMINATION not in analysis.items[0].flags


def test_flags_name_questions_that_are_too_easy_or_too_hard():
    everyone = np.ones((10, 1))
    nobody = np.zeros((10, 1))
    split = np.array([[1, 1]] * 5 + [[0, 0]] * 5, dtype=float)
    marks = np.hstack([everyone, nobody, split])
    items = analyse(marks, np.ones(4)).items
    assert TOO_EASY in items[0].flags
    assert TOO_HARD in items[1].flags
    assert items[2].flags == () and items[3].flags == ()


def test_an_item_nobody_varies_on_has_no_discrimination_rather_than_a_division_error():
    items = analyse(np.array([[1, 1], [1, 0], [1, 1]], dtype=float), np.ones(2)).items
    assert items[0].discrimination is None
    assert items[0].discriminative_efficiency is None
    assert items[0].sd == 0.0


def test_weak_discrimination_is_flagged_between_zero_and_the_threshold():
    rng = np.random.default_rng(3)
    ability = rng.random(400)
    informative = (rng.random((400, 6)) < ability[:, None]).astype(float)
    noise = (rng.random((400, 1)) < 0.5).astype(float)
    items = analyse(np.hstack([informative, noise]), np.ones(7)).items
    assert abs(items[-1].discrimination) < 0.2
    assert {WEAK_DISCRIMINATION, NEGATIVE_DISCRIMINATION} & set(items[-1].flags)
    assert all(item.discrimination > 0.2 for item in items[:-1])


def test_no_attempts_gives_empty_statistics_not_errors():
    analysis = analyse(np.empty((0, 2)), np.ones(2))
    assert analysis.test.alpha is None
    assert [item.n for item in analysis.items] == [0, 0]
    assert analysis.items[0].facility is None


def test_response_matrix_pivots_triples_and_leaves_absent_questions_empty():
    matrix, attempts, questions = response_matrix(
        np.array([7, 7, 9]), np.array([30, 10, 10]), np.array([1.0, 0.5, 0.0])
    )
    assert attempts.tolist() == [7, 9] and questions.tolist() == [10, 30]
    assert matrix[0].tolist() == [0.5, 1.0]
    assert matrix[1, 0] == 0.0 and math.isnan(matrix[1, 1])


# ---- cross-check on random data against a direct, loop-by-loop implementation ----------


def direct_item(rows: list[list[float | None]], j: int, max_mark: float) -> dict:
    """Moodle's per-question walk, written out plainly."""
    seen = [row for row in rows if row[j] is not None]
    marks = [row[j] for row in seen]
    others = [sum(v for v in row if v is not None) - row[j] for row in seen]
    s = len(marks)
    mean, other_mean = sum(marks) / s, sum(others) / s
    var = sum((m - mean) ** 2 for m in marks) / (s - 1)
    other_var = sum((o - other_mean) ** 2 for o in others) / (s - 1)
    cov = sum((m - mean) * (o - other_mean) for m, o in zip(marks, others, strict=True)) / (s - 1)
    cov_max = sum(
        (m - mean) * (o - other_mean) for m, o in zip(sorted(marks), sorted(others), strict=True)
    ) / (s - 1)
    return {
        "n": s,
        "facility": mean / max_mark,
        "sd": math.sqrt(var) / max_mark,
        "discrimination": cov / math.sqrt(var * other_var),
        "efficiency": cov / cov_max,
    }


def direct_alpha(rows: list[list[float | None]]) -> float:
    """Cronbach's alpha; with questions missing from some attempts, p is the mean number of
    questions per attempt and each item variance counts in the share of attempts holding it."""
    s, k = len(rows), len(rows[0])
    totals = [sum(v for v in row if v is not None) for row in rows]
    seen = [[row[j] for row in rows if row[j] is not None] for j in range(k)]
    p = sum(len(col) for col in seen) / s
    item_variance = sum(len(col) / s * statistics.variance(col) for col in seen)
    return p / (p - 1) * (1 - item_variance / statistics.variance(totals))


def test_complete_random_matrix_alpha_is_the_textbook_formula():
    rng = np.random.default_rng(11)
    ability = rng.random(50)
    marks = (rng.random((50, 6)) < ability[:, None]).astype(float)
    k = marks.shape[1]
    textbook = k / (k - 1) * (1 - marks.var(axis=0, ddof=1).sum() / marks.sum(axis=1).var(ddof=1))
    assert analyse(marks, np.ones(k)).test.alpha == pytest.approx(textbook, rel=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_responses_match_the_direct_formulas(seed):
    rnd = random.Random(seed)
    n_attempts, n_items = 60, 8
    max_marks = [rnd.choice([1.0, 2.0, 5.0]) for _ in range(n_items)]
    ability = [rnd.random() for _ in range(n_attempts)]
    rows: list[list[float | None]] = []
    for a in ability:
        row: list[float | None] = []
        for mm in max_marks:
            if rnd.random() < 0.15:  # question not drawn in this attempt
                row.append(None)
            else:
                row.append(round(mm * min(1.0, max(0.0, rnd.gauss(a, 0.3))), 2))
        rows.append(row)
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows])

    analysis = analyse(matrix, np.array(max_marks))

    for j, item in enumerate(analysis.items):
        expected = direct_item(rows, j, max_marks[j])
        assert item.n == expected["n"]
        assert item.facility == pytest.approx(expected["facility"], rel=1e-9)
        assert item.sd == pytest.approx(expected["sd"], rel=1e-9)
        assert item.discrimination == pytest.approx(expected["discrimination"], rel=1e-9)
        assert item.discriminative_efficiency == pytest.approx(expected["efficiency"], rel=1e-9)
    assert analysis.test.alpha == pytest.approx(direct_alpha(rows), rel=1e-9)
    totals = [sum(v for v in row if v is not None) for row in rows]
    assert analysis.test.sd == pytest.approx(statistics.stdev(totals), rel=1e-9)
    assert analysis.test.median == pytest.approx(statistics.median(totals))


def test_a_random_quiz_is_out_of_what_an_attempt_holds_not_the_whole_pool():
    # A pool of four 2-point questions; each attempt draws two of them.
    nan = np.nan
    marks = np.array([[2, 0, nan, nan], [nan, 2, 2, nan], [nan, nan, 0, 2], [1, nan, nan, 2]])
    test = analyse(marks, np.array([2.0, 2.0, 2.0, 2.0])).test
    assert test.max_total == 4.0  # not 8: every attempt is out of two questions
    assert test.mean == 2.75


def test_the_item_table_sorts_by_a_statistic_and_keeps_unknowns_last():
    stats = analyse(GUTTMAN, np.ones(3))
    rows = list(zip(["q1", "q2", "q3"], stats.items, strict=True))
    # facilities 3/4, 2/4, 1/4: hardest first is q3, q2, q1
    assert [q for q, _ in ordered_items(rows, "facility")] == ["q3", "q2", "q1"]
    assert [q for q, _ in ordered_items(rows, "-facility")] == ["q1", "q2", "q3"]
    assert [q for q, _ in ordered_items(rows, "position")] == ["q1", "q2", "q3"]
    assert [q for q, _ in ordered_items(rows, "nonsense")] == ["q1", "q2", "q3"]
    # everyone has the first right: it has no discrimination, and sorts after the others
    constant = analyse(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float), np.ones(3))
    mixed = list(zip(["same", "a", "b"], constant.items, strict=True))
    assert constant.items[0].discrimination is None
    assert [q for q, _ in ordered_items(mixed, "discrimination")][-1] == "same"
    assert [q for q, _ in ordered_items(mixed, "-discrimination")][-1] == "same"


def test_the_item_table_can_show_only_questions_that_need_checking():
    stats = analyse(GUTTMAN, np.ones(3))
    rows = list(zip(["q1", "q2", "q3"], stats.items, strict=True))
    flagged = [q for q, i in rows if i.flags]
    assert ordered_items(rows, "position", needs_checking=True) == [
        (q, i) for q, i in rows if q in flagged
    ]
