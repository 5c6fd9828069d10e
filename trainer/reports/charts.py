"""Geometry of the server-rendered SVG charts (bar, funnel, histogram, line). Pure.

The templates in templates/reports/charts/ only draw what these functions lay out, so the
arithmetic is tested here and every chart also carries its rows for the data table that
sits behind it (screen readers and printouts read the table, not the picture).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil, floor, log10

WIDTH = 640
ROW_HEIGHT = 28
LABEL_WIDTH = 150  # room for a Chinese name or stage label left of a bar
VALUE_ROOM = 70  # room for the value printed right of a bar
PLOT_HEIGHT = 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 40, 16


@dataclass(frozen=True)
class Mark:
    """One drawn element (bar, funnel step, column or point) and its caption."""

    label: str
    value: float
    text: str  # the value as printed
    x: float
    y: float
    width: float = 0
    height: float = 0
    note: str = ""  # e.g. conversion from the previous funnel step


@dataclass(frozen=True)
class Tick:
    value: float
    text: str
    position: float  # y for a vertical axis, x for a horizontal one


@dataclass
class Chart:
    kind: str  # bar | funnel | histogram | line
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    columns: tuple[str, str]  # data table headings: label, value
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    reference: Tick | None = None  # e.g. the pass mark on a histogram
    path: str = ""  # the polyline of a line chart
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom
    label_every: int = 1  # x-axis captions on every n-th mark, so they never overlap

    @property
    def empty(self) -> bool:
        return not self.marks or all(m.value == 0 for m in self.marks)


def nice_ceiling(value: float) -> float:
    """The round number an axis should end at: 1, 2, 2.5, 5 or 10 times a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude + 1e-9:
            return step * magnitude
    return 10 * magnitude


def format_number(value: float, unit: str = "") -> str:
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{text}{unit}"


def _axis_ticks(top: float, count: int, to_position, unit: str) -> list[Tick]:
    return [
        Tick(top * i / count, format_number(top * i / count, unit), to_position(top * i / count))
        for i in range(count + 1)
    ]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, float]],
    columns: tuple[str, str],
    unit: str = "",
    maximum: float | None = None,
) -> Chart:
    """Horizontal bars, one row per label (long CJK labels read better beside a bar)."""
    top = maximum if maximum is not None else nice_ceiling(max((v for _, v in rows), default=0))
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    marks = [
        Mark(
            label,
            value,
            format_number(value, unit),
            LABEL_WIDTH,
            i * ROW_HEIGHT + 4,
            width=span * min(value, top) / top if top else 0,
            height=ROW_HEIGHT - 8,
        )
        for i, (label, value) in enumerate(rows)
    ]
    return Chart(
        "bar", chart_id, title, description, WIDTH, max(len(rows), 1) * ROW_HEIGHT, columns, marks
    )


def funnel_chart(
    chart_id: str,
    title: str,
    description: str,
    steps: Sequence[tuple[str, int]],
    columns: tuple[str, str],
) -> Chart:
    """Centred bars narrowing down the path; each step notes the share of the first step."""
    first = steps[0][1] if steps else 0
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    centre = LABEL_WIDTH + span / 2
    marks = []
    for i, (label, count) in enumerate(steps):
        width = span * count / first if first else 0
        share = f"{round(100 * count / first)}%" if first else ""
        marks.append(
            Mark(
                label,
                count,
                str(count),
                centre - width / 2,
                i * ROW_HEIGHT + 4,
                width=width,
                height=ROW_HEIGHT - 8,
                note=share,
            )
        )
    return Chart(
        "funnel",
        chart_id,
        title,
        description,
        WIDTH,
        max(len(steps), 1) * ROW_HEIGHT,
        columns,
        marks,
    )


def histogram(
    chart_id: str,
    title: str,
    description: str,
    scores: Sequence[float],
    columns: tuple[str, str],
    bins: int = 10,
    low: float = 0,
    high: float = 100,
    reference: float | None = None,
    reference_label: str = "",
) -> Chart:
    """Counts of scores in equal bins over [low, high]; the last bin includes `high`."""
    counts = bin_counts(scores, bins, low, high)
    # Counts are whole numbers: at least 0..4 on the axis, ticks on integers.
    top = max(4.0, nice_ceiling(max(counts, default=0)))
    left, right = MARGIN_LEFT, WIDTH - 10
    bottom = MARGIN_TOP + PLOT_HEIGHT
    column = (right - left) / bins
    size = (high - low) / bins
    marks = []
    for i, count in enumerate(counts):
        start, end = low + i * size, low + (i + 1) * size
        label = f"{format_number(start)}–{format_number(end)}"
        height = PLOT_HEIGHT * count / top
        marks.append(
            Mark(
                label,
                count,
                str(count),
                left + i * column + 1,
                bottom - height,
                width=column - 2,
                height=height,
            )
        )
    chart = Chart(
        "histogram",
        chart_id,
        title,
        description,
        WIDTH,
        bottom + MARGIN_BOTTOM,
        columns,
        marks,
        plot=(left, MARGIN_TOP, right, bottom),
    )
    tick_count = 4 if top % 4 == 0 else 5
    chart.ticks = _axis_ticks(top, tick_count, lambda v: bottom - PLOT_HEIGHT * v / top, "")
    if reference is not None and low <= reference <= high:
        x = left + (right - left) * (reference - low) / (high - low)
        chart.reference = Tick(reference, reference_label, x)
    return chart


def bin_counts(scores: Sequence[float], bins: int, low: float, high: float) -> list[int]:
    counts = [0] * bins
    size = (high - low) / bins
    for score in scores:
        if low <= score <= high:
            counts[min(int((score - low) // size), bins - 1)] += 1
    return counts


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, float | None]],
    columns: tuple[str, str],
    unit: str = "",
    maximum: float | None = None,
) -> Chart:
    """A value over time; None is a gap in the line (no data that period) but keeps its slot."""
    values = [v for _, v in points if v is not None]
    top = maximum if maximum is not None else nice_ceiling(max(values, default=0))
    left, right = MARGIN_LEFT, WIDTH - 16
    bottom = MARGIN_TOP + PLOT_HEIGHT
    step = (right - left) / max(len(points) - 1, 1)
    marks, path, pen_down = [], [], False
    for i, (label, value) in enumerate(points):
        x = left + i * step if len(points) > 1 else (left + right) / 2
        if value is None:
            marks.append(Mark(label, 0, "—", x, bottom))
            pen_down = False
            continue
        y = bottom - PLOT_HEIGHT * min(value, top) / top
        marks.append(Mark(label, value, format_number(value, unit), x, y))
        path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
    chart = Chart(
        "line",
        chart_id,
        title,
        description,
        WIDTH,
        bottom + MARGIN_BOTTOM,
        columns,
        marks,
        path=" ".join(path),
        plot=(left, MARGIN_TOP, right, bottom),
    )
    chart.ticks = _axis_ticks(top, 4, lambda v: bottom - PLOT_HEIGHT * v / top, unit)
    chart.label_every = max(1, ceil(len(points) / 8))
    return chart
