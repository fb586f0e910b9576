"""Server-drawn SVG charts: accessible images that never show more than their table."""

import re

from learning.reports.charts import Series, bar_chart, funnel_chart, nice_ceiling, trend_chart
from learning.reports.suppression import Cell, Status

SHOWN = Status.SHOWN


def test_a_chart_is_a_titled_described_image():
    svg = str(bar_chart("c1", "Ghi danh", "Hà Nội 12", [("Hà Nội", Cell(12, SHOWN))]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Ghi danh</title>' in svg and '<desc id="c1-desc">Hà Nội 12</desc>' in svg
    assert "<script" not in svg and "style=" not in svg


def test_labels_are_escaped():
    svg = str(bar_chart("c2", "<b>", "<i>", [("<script>alert(1)</script>", Cell(7, SHOWN))]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_hidden_numbers_get_their_mark_and_no_bar():
    bars = [("A", Cell(20, SHOWN)), ("B", Cell(3, Status.SMALL)), ("C", Cell(9, Status.COMPLEMENTARY))]
    svg = str(bar_chart("c3", "t", "d", bars))
    assert svg.count("<rect") == 1
    assert ">&lt; 5</text>" in svg and ">x</text>" in svg and ">20</text>" in svg
    assert ">3<" not in svg and ">9<" not in svg
    funnel = str(funnel_chart("c4", "t", "d", bars))
    assert funnel.count("<rect") == 1 and "B: &lt; 5" in funnel


def test_a_hidden_month_breaks_the_trend_line():
    cells = [Cell(10, SHOWN), Cell(12, SHOWN), Cell(2, Status.SMALL), Cell(14, SHOWN), Cell(15, SHOWN)]
    svg = str(trend_chart("c5", "t", "d", ["01", "02", "03", "04", "05"], [Series("Ghi danh", cells)]))
    assert len(re.findall(r"<polyline", svg)) == 2  # 01–02 and 04–05
    assert svg.count("<circle") == 4 + 1  # no marker for the hidden month; one in the legend


def test_axis_tops_are_round_numbers():
    assert [nice_ceiling(n) for n in (0, 1, 3, 7, 12, 180, 201)] == [1, 1, 5, 10, 20, 200, 500]
