"""Chart geometry (pure) and the SVG + data table the templates draw from it."""

import re

import pytest
from flask import render_template_string

from trainer.reports import charts

COLUMNS = ("名称", "数值")


def test_axis_ends_at_a_round_number():
    assert [charts.nice_ceiling(v) for v in (0, 0.7, 3, 7, 11, 26, 99, 101)] == [
        1,
        1,
        5,
        10,
        20,
        50,
        100,
        200,
    ]


def test_bars_are_proportional_to_their_values():
    chart = charts.bar_chart(
        "c", "t", "d", [("甲", 50), ("乙", 100), ("丙", 0)], COLUMNS, maximum=100
    )
    widths = [m.width for m in chart.marks]
    assert widths[0] == pytest.approx(widths[1] / 2) and widths[2] == 0
    assert [m.text for m in chart.marks] == ["50", "100", "0"]


def test_funnel_steps_note_their_share_of_the_first_step():
    chart = charts.funnel_chart("f", "t", "d", [("报名", 10), ("培训", 8), ("上岗", 3)], COLUMNS)
    assert [m.note for m in chart.marks] == ["100%", "80%", "30%"]
    assert chart.marks[2].width == pytest.approx(chart.marks[0].width * 0.3)
    # centred: each narrower step starts further right
    assert chart.marks[0].x < chart.marks[1].x < chart.marks[2].x


def test_histogram_bins_include_the_top_score_in_the_last_bin():
    assert charts.bin_counts([0, 9.99, 10, 55, 100, 100, 101, -1], 10, 0, 100) == [
        2,
        1,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        2,
    ]


def test_histogram_marks_the_pass_mark():
    chart = charts.histogram(
        "h", "t", "d", [50, 80, 90], COLUMNS, reference=80, reference_label="合格线"
    )
    left, _top, right, _bottom = chart.plot
    assert chart.reference.position == pytest.approx(left + 0.8 * (right - left))


def test_a_line_chart_breaks_where_a_week_has_no_data():
    chart = charts.line_chart(
        "l", "t", "d", [("1", 50), ("2", None), ("3", 70), ("4", 80)], COLUMNS, maximum=100
    )
    assert chart.path.count("M") == 2 and chart.path.count("L") == 1
    assert chart.marks[1].text == "—"


def test_an_empty_chart_says_so():
    assert charts.bar_chart("c", "t", "d", [], COLUMNS).empty
    assert charts.histogram("h", "t", "d", [], COLUMNS).empty


@pytest.mark.parametrize("kind", ["bar", "funnel", "histogram", "line"])
def test_every_chart_is_an_accessible_svg_with_a_data_table(app, kind):
    chart = {
        "bar": lambda: charts.bar_chart("x", "标题", "说明", [("甲", 3)], COLUMNS),
        "funnel": lambda: charts.funnel_chart("x", "标题", "说明", [("甲", 3)], COLUMNS),
        "histogram": lambda: charts.histogram("x", "标题", "说明", [55.0], COLUMNS),
        "line": lambda: charts.line_chart("x", "标题", "说明", [("甲", 3.0)], COLUMNS),
    }[kind]()
    with app.test_request_context():
        html = render_template_string(
            '{% import "reports/_charts.html" as c %}{{ c.render(chart) }}', chart=chart
        )
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="x-title x-desc"', html)
    assert '<title id="x-title">标题</title>' in html and '<desc id="x-desc">说明</desc>' in html
    assert "<table" in html and '<th scope="col">名称</th>' in html
    assert "<script" not in html


def test_histogram_ticks_are_whole_counts():
    for scores in ([55.0], [55.0] * 7, [55.0] * 23):
        chart = charts.histogram("h", "t", "d", scores, COLUMNS)
        assert all(float(t.value).is_integer() for t in chart.ticks), [t.value for t in chart.ticks]
