"""The meeting report's charts are labelled in Chinese with the CJK font report-api ships, on any machine."""

from __future__ import annotations

import warnings
from pathlib import Path

from matplotlib import font_manager
from matplotlib.axes import Axes
from noto_cjk import otc_path

from report_api.meetings import charts

UNITS = [
    {"unit_id": "u-1", "unit_code": "KJT-GX", "unit_name": "高新处", "closure_rate": 0.75},
    {"unit_id": "u-2", "unit_code": "KJT-ZCFG", "unit_name": "政策法规与监督处", "closure_rate": 0.5},
]
TREND = [
    {"period": "2026-08", "new": 5, "closed": 2, "open_at_end": 3},
    {"period": "2026-09", "new": 3, "closed": 4, "open_at_end": 2},
]


def rendered(figure_axes: Axes) -> list[str]:
    """Every text drawn on the axes: title, axis labels, tick labels, legend."""
    texts = [figure_axes.get_title(), figure_axes.get_xlabel()]
    texts += [t.get_text() for t in (*figure_axes.get_xticklabels(), *figure_axes.get_yticklabels())]
    legend = figure_axes.get_legend()
    texts += [t.get_text() for t in legend.get_texts()] if legend else []
    return [t for t in texts if t]


def font_file(figure_axes: Axes) -> Path:
    return Path(font_manager.findfont(figure_axes.title.get_fontproperties(), fallback_to_default=False))


class TestChineseCharts:
    def test_unit_chart_names_units_in_chinese_with_the_shipped_noto_font(self) -> None:
        figure = charts.unit_figure(UNITS, "zh")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a glyph missing from the font is a warning: here, a failure
            assert charts.png(figure).startswith(b"\x89PNG")
        axes = figure.axes[0]
        assert charts.cjk_family() == "Noto Sans CJK SC"
        assert font_file(axes) == otc_path("sans")
        assert {"各单位销号率", "销号率 %", "高新处", "政策法规与监督处"} <= set(rendered(axes))
        assert "KJT-GX" not in rendered(axes)

    def test_trend_chart_has_chinese_title_and_legend(self) -> None:
        figure = charts.trend_figure(TREND, "zh")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            charts.png(figure)
        axes = figure.axes[0]
        assert font_file(axes) == otc_path("sans")
        assert {"整改趋势", "新增", "销号", "期末在办", "2026-08"} <= set(rendered(axes))

    def test_english_chart_keeps_unit_codes(self) -> None:
        figure = charts.unit_figure(UNITS, "en")
        charts.png(figure)
        texts = rendered(figure.axes[0])
        assert {"Closure rate by unit", "KJT-GX", "KJT-ZCFG"} <= set(texts)
        assert "高新处" not in texts
