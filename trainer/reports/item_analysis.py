"""Item analysis of a quiz, computed the way Moodle's quiz statistics report does.

Pure and vectorised: the input is a response matrix (one row per attempt, one column per
question, NaN where the question was not in the attempt), so 100,000 responses take
milliseconds. Formulas follow Moodle's `question/classes/statistics/questions/calculator.php`
and `mod/quiz/report/statistics/classes/calculator.php`:

* facility = mean mark / max mark
* SD = sample standard deviation of the mark (n − 1), as a fraction of the max mark
* discrimination index = correlation of the item's mark with the rest of the test
  (the attempt's total minus this item), sample covariances
* discriminative efficiency = covariance / the largest covariance the two marginal
  distributions allow (both sorted ascending and paired)
* Cronbach's alpha = p/(p−1) · (1 − Σ item variances / variance of the totals);
  error ratio = √(1 − alpha); standard error = error ratio · SD of the totals. When
  questions are drawn at random (not every attempt has every question) p is the mean
  number of questions per attempt and each item variance is weighted by its share of
  attempts — Moodle's formula whenever the matrix is complete.

Moodle reports percentages; we keep fractions (facility 0–1, discrimination −1–1) and let
the template format them.
"""

from dataclasses import dataclass, replace

import numpy as np

# Variances below this (relative to max mark²) are rounding noise, not spread.
_EPSILON = 1e-12


@dataclass(frozen=True)
class Thresholds:
    """When a question deserves a second look (Moodle's documented interpretation bands)."""

    too_easy: float = 0.90  # facility above: "very easy" or easier
    too_hard: float = 0.20  # facility below: "difficult" or harder
    weak_discrimination: float = 0.20  # Moodle: below 20 is "very weak"


TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
NEGATIVE_DISCRIMINATION = "negative_discrimination"
WEAK_DISCRIMINATION = "weak_discrimination"


@dataclass(frozen=True)
class ItemStatistics:
    n: int  # attempts that contained the question
    max_mark: float
    mean: float | None
    facility: float | None
    sd: float | None  # fraction of max_mark
    discrimination: float | None
    discriminative_efficiency: float | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class TestStatistics:
    attempts: int
    items: int
    max_total: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    error_ratio: float | None
    standard_error: float | None


@dataclass(frozen=True)
class ItemAnalysis:
    test: TestStatistics
    items: list[ItemStatistics]


def _nullable(values: np.ndarray, valid: np.ndarray) -> list[float | None]:
    return [float(v) if ok else None for v, ok in zip(values, valid, strict=True)]


def flags_for(
    facility: float | None, discrimination: float | None, thresholds: Thresholds
) -> tuple[str, ...]:
    flags = []
    if facility is not None:
        if facility > thresholds.too_easy:
            flags.append(TOO_EASY)
        elif facility < thresholds.too_hard:
            flags.append(TOO_HARD)
    if discrimination is not None:
        if discrimination < 0:
            flags.append(NEGATIVE_DISCRIMINATION)
        elif discrimination < thresholds.weak_discrimination:
            flags.append(WEAK_DISCRIMINATION)
    return tuple(flags)


def analyse(
    marks: np.ndarray, max_marks: np.ndarray, thresholds: Thresholds | None = None
) -> ItemAnalysis:
    """Statistics of every column of `marks` (attempts × questions, NaN = not presented)."""
    thresholds = thresholds or Thresholds()
    x = np.asarray(marks, dtype=float)
    if x.ndim != 2:
        raise ValueError("marks must be a 2-D matrix: attempts × questions")
    max_marks = np.asarray(max_marks, dtype=float)
    if max_marks.shape != (x.shape[1],):
        raise ValueError("max_marks needs one value per question column")
    items = _item_statistics(x, max_marks, thresholds)
    return ItemAnalysis(test=_test_statistics(x, max_marks), items=items)


def _item_statistics(
    x: np.ndarray, max_marks: np.ndarray, thresholds: Thresholds
) -> list[ItemStatistics]:
    attempts, _ = x.shape
    present = ~np.isnan(x)
    mark = np.where(present, x, 0.0)
    totals = mark.sum(axis=1)
    other = np.where(present, totals[:, None] - mark, 0.0)
    n = present.sum(axis=0)

    safe_n = np.maximum(n, 1)
    mean = mark.sum(axis=0) / safe_n
    other_mean = other.sum(axis=0) / safe_n
    dx = np.where(present, mark - mean, 0.0)
    do = np.where(present, other - other_mean, 0.0)

    dof = np.maximum(n - 1, 1)
    variance = (dx * dx).sum(axis=0) / dof
    other_variance = (do * do).sum(axis=0) / dof
    covariance = (dx * do).sum(axis=0) / dof

    # The largest covariance these two sets of marks could have: pair them both sorted.
    # Absent cells sort last (+inf) and are masked out by rank.
    in_rank = np.arange(attempts)[:, None] < n[None, :]
    sorted_mark = np.sort(np.where(present, mark, np.inf), axis=0)
    sorted_other = np.sort(np.where(present, other, np.inf), axis=0)
    sorted_dx = np.where(in_rank, sorted_mark - mean, 0.0)
    sorted_do = np.where(in_rank, sorted_other - other_mean, 0.0)
    covariance_max = (sorted_dx * sorted_do).sum(axis=0) / dof

    scale = np.maximum(max_marks, 1.0) ** 2
    has_spread = n > 1
    spread_product = variance * other_variance
    can_correlate = has_spread & (spread_product > _EPSILON * scale * scale)
    discrimination = covariance / np.sqrt(np.where(can_correlate, spread_product, 1.0))
    can_compare = has_spread & (np.abs(covariance_max) > _EPSILON * scale)
    efficiency = covariance / np.where(can_compare, covariance_max, 1.0)
    has_max = (max_marks > 0) & (n > 0)
    facility = mean / np.where(has_max, max_marks, 1.0)
    sd = np.sqrt(variance) / np.where(max_marks > 0, max_marks, 1.0)

    facilities = _nullable(facility, has_max)
    discriminations = _nullable(discrimination, can_correlate)
    return [
        ItemStatistics(
            n=int(n[j]),
            max_mark=float(max_marks[j]),
            mean=float(mean[j]) if n[j] else None,
            facility=facilities[j],
            sd=float(sd[j]) if has_spread[j] and max_marks[j] > 0 else None,
            discrimination=discriminations[j],
            discriminative_efficiency=float(efficiency[j]) if can_compare[j] else None,
            flags=flags_for(facilities[j], discriminations[j], thresholds),
        )
        for j in range(x.shape[1])
    ]


def _attempt_max(present: np.ndarray, max_marks: np.ndarray) -> float:
    """What one attempt is out of: the questions it held, not the whole pool it drew from.

    Attempts of a random quiz can differ slightly (questions of different points); the mean
    is what a trainer compares a mean total with."""
    if present.shape[0] == 0:
        return float(max_marks.sum())
    return float((present * max_marks).sum(axis=1).mean())


def _test_statistics(x: np.ndarray, max_marks: np.ndarray) -> TestStatistics:
    """Moodle's quiz-level numbers: moments of the totals, alpha, error ratio, SE."""
    s, p = x.shape
    present = ~np.isnan(x)
    base = TestStatistics(
        attempts=s,
        items=p,
        max_total=_attempt_max(present, max_marks),
        mean=None,
        median=None,
        sd=None,
        skewness=None,
        kurtosis=None,
        alpha=None,
        error_ratio=None,
        standard_error=None,
    )
    if s == 0:
        return base
    totals = np.where(present, x, 0.0).sum(axis=1)
    mean = float(totals.mean())
    median = float(np.median(totals))
    if s < 2:
        return replace(base, mean=mean, median=median)

    d = totals - mean
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    k2 = s * m2 / (s - 1)
    sd = float(np.sqrt(k2))
    values: dict = {"mean": mean, "median": median, "sd": sd}
    if k2 <= _EPSILON * max(float(max_marks.sum()), 1.0) ** 2:
        return replace(base, **values)
    if s > 2:
        k3 = s * s * m3 / ((s - 1) * (s - 2))
        values["skewness"] = float(k3 / k2**1.5)
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        values["kurtosis"] = float(k4 / (k2 * k2))
    n = present.sum(axis=0)
    # Questions drawn at random: each attempt holds p̄ items on average and an item adds its
    # variance only to the attempts it appears in (weight n/s). With every question in every
    # attempt this is exactly Moodle's p/(p−1)·(1 − Σσ²ᵢ/σ²ₓ).
    items_per_attempt = float(n.sum()) / s
    if items_per_attempt > 1:
        mark = np.where(present, x, 0.0)
        item_mean = mark.sum(axis=0) / np.maximum(n, 1)
        dx = np.where(present, mark - item_mean, 0.0)
        # Moodle adds nothing for a question seen once (its variance is undefined).
        item_variance = np.where(n > 1, (dx * dx).sum(axis=0) / np.maximum(n - 1, 1), 0.0)
        weighted = float((item_variance * n / s).sum())
        p_bar = items_per_attempt
        alpha = float(p_bar / (p_bar - 1) * (1 - weighted / k2))
        error_ratio = float(np.sqrt(1 - alpha)) if alpha <= 1 else None
        values |= {
            "alpha": alpha,
            "error_ratio": error_ratio,
            "standard_error": error_ratio * sd if error_ratio is not None else None,
        }
    return replace(base, **values)


def response_matrix(
    attempt_ids: np.ndarray, question_ids: np.ndarray, marks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pivot (attempt, question, mark) triples into the attempts × questions matrix.

    Returns (matrix, attempt ids in row order, question ids in column order). A repeated
    (attempt, question) pair keeps its last mark.
    """
    attempts, rows = np.unique(np.asarray(attempt_ids), return_inverse=True)
    questions, cols = np.unique(np.asarray(question_ids), return_inverse=True)
    matrix = np.full((len(attempts), len(questions)), np.nan)
    matrix[rows, cols] = np.asarray(marks, dtype=float)
    return matrix, attempts, questions


ITEM_ORDERS = ("position", "facility", "-facility", "discrimination", "-discrimination")


def ordered_items(rows: list[tuple], order: str, needs_checking: bool = False) -> list[tuple]:
    """(question, ItemStatistics) rows for the item table: in test order, or by facility or
    discrimination ("-" for descending; questions without the statistic last), optionally
    only those with a flag."""
    if needs_checking:
        rows = [row for row in rows if row[1].flags]
    if order not in ITEM_ORDERS or order == "position":
        return list(rows)
    name = order.lstrip("-")
    known = [row for row in rows if getattr(row[1], name) is not None]
    unknown = [row for row in rows if getattr(row[1], name) is None]
    known.sort(key=lambda row: getattr(row[1], name), reverse=order.startswith("-"))
    return known + unknown
