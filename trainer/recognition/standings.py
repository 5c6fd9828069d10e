"""Monthly standings of trainees and halls. Pure: the numbers in, ranked rows out.

A trainee's month score is the weighted mean of the parts they have results for: exam
scores, drill scores, mentors' sign-off ratings (1–5 scaled to 100) and the share of clean
drills (no forbidden phrase). Missing parts are left out rather than counted as zero, so a
trainee still in pre-job training is not ranked below one who has simply interned longer.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

WEIGHTS = {"exam": 0.35, "drill": 0.25, "rating": 0.25, "clean": 0.15}


def month_bounds(month: date) -> tuple[date, date]:
    """First day of `month` and first day of the next month."""
    first = month.replace(day=1)
    following = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else (first.replace(month=first.month + 1))
    )
    return first, following


@dataclass(frozen=True)
class Totals:
    """One trainee's results in a window as the database sums them (GROUP BY)."""

    user_id: int
    exam_sum: float = 0.0
    exams: int = 0
    drill_sum: float = 0.0
    drills: int = 0
    clean_drills: int = 0
    rating_sum: float = 0.0
    ratings: int = 0

    @classmethod
    def from_results(
        cls,
        user_id: int,
        exam_scores: list[float] = (),
        drill_scores: list[float] = (),
        ratings: list[int] = (),
        clean_drills: int = 0,
    ) -> "Totals":
        """From one trainee's results listed one by one (percent scores, ratings 1–5)."""
        return cls(
            user_id,
            exam_sum=sum(exam_scores),
            exams=len(exam_scores),
            drill_sum=sum(drill_scores),
            drills=len(drill_scores),
            clean_drills=clean_drills,
            rating_sum=sum(ratings),
            ratings=len(ratings),
        )

    @property
    def results(self) -> int:
        return self.exams + self.drills + self.ratings

    def parts(self) -> dict[str, float]:
        parts = {}
        if self.exams:
            parts["exam"] = self.exam_sum / self.exams
        if self.drills:
            parts["drill"] = self.drill_sum / self.drills
            parts["clean"] = 100 * self.clean_drills / self.drills
        if self.ratings:
            parts["rating"] = 20 * self.rating_sum / self.ratings
        return parts


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    score: float
    parts: dict[str, float]
    results: int  # how many results the score rests on


@dataclass(frozen=True)
class HallStanding:
    rank: int
    hall_id: int
    score: float
    people: int
    results: int


def composite(parts: dict[str, float], weights: dict[str, float] = WEIGHTS) -> float | None:
    total = sum(weights[name] for name in parts)
    if not total:
        return None
    return sum(weights[name] * value for name, value in parts.items()) / total


def _ranked(rows: list, key) -> list:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank."""
    rows = sorted(rows, key=key)
    ranks, previous = [], None
    for position, row in enumerate(rows, start=1):
        score = round(row[1], 6)
        ranks.append(ranks[-1] if score == previous else position)
        previous = score
    return list(zip(ranks, rows, strict=True))


def trainee_standings(activities: list[Totals]) -> list[Standing]:
    scored = []
    for activity in activities:
        parts = activity.parts()
        score = composite(parts)
        if score is None:
            continue
        scored.append((activity.user_id, score, parts, activity.results))
    ranked = _ranked(scored, key=lambda r: (-r[1], -r[3], r[0]))
    return [
        Standing(rank, uid, round(score, 1), {k: round(v, 1) for k, v in parts.items()}, results)
        for rank, (uid, score, parts, results) in ranked
    ]


def hall_standings(standings: list[Standing], hall_of: dict[int, int | None]) -> list[HallStanding]:
    """A hall's score is the mean score of its ranked trainees (the hall they work in)."""
    scores: dict[int, list[Standing]] = defaultdict(list)
    for standing in standings:
        if (hall_id := hall_of.get(standing.user_id)) is not None:
            scores[hall_id].append(standing)
    rows = [
        (
            hall_id,
            sum(s.score for s in group) / len(group),
            len(group),
            sum(s.results for s in group),
        )
        for hall_id, group in scores.items()
    ]
    ranked = _ranked(rows, key=lambda r: (-r[1], -r[2], r[0]))
    return [
        HallStanding(rank, hall_id, round(score, 1), people, results)
        for rank, (hall_id, score, people, results) in ranked
    ]
