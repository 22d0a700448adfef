"""Charts of the meeting report as PNG images (matplotlib, Agg backend, no pyplot state)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from noto_cjk import otc_path

from report_api.labels import Lang

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "SimSun",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """A font family with Chinese glyphs: Noto Sans CJK SC, which report-api ships (the `noto-cjk` package), so
    every way of running it has one; else one installed on the machine; None when neither is found."""
    # Registered by path, so neither the machine's fonts nor matplotlib's font cache (built before a font was
    # installed) decide whether the charts come out in Chinese.
    font_manager.fontManager.addfont(str(otc_path("sans")))
    installed = {font.name for font in font_manager.fontManager.ttflist}
    family = next((f for f in CJK_FAMILIES if f in installed), None)
    if family is not None:
        matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    return family


def _chinese(lang: Lang) -> bool:
    # Without a CJK font Chinese labels would render as boxes: fall back to English text and unit codes.
    return lang == "zh" and cjk_family() is not None


def _figure() -> Figure:
    cjk_family()
    return Figure(figsize=(7.5, 4.0), dpi=120, layout="tight")


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def unit_chart(units: list[dict[str, Any]], lang: Lang) -> bytes:
    """Closure rate per lead unit, best first, as PNG."""
    return png(unit_figure(units, lang))


def trend_chart(points: list[dict[str, Any]], lang: Lang) -> bytes:
    """New, closed and open per month, as PNG."""
    return png(trend_figure(points, lang))


def unit_figure(units: list[dict[str, Any]], lang: Lang) -> Figure:
    """Closure rate per lead unit, best first."""
    chinese = _chinese(lang)
    rows = units[:20]
    labels = [(u["unit_name"] if chinese else u["unit_code"] or u["unit_id"][:8]) for u in rows]
    values = [round((u["closure_rate"] or 0.0) * 100, 1) for u in rows]
    figure = _figure()
    axes = figure.add_subplot()
    axes.barh(list(reversed(labels)), list(reversed(values)), color="#c0392b")
    axes.set_xlim(0, 100)
    axes.set_xlabel("销号率 %" if chinese else "Closure rate %")
    axes.set_title("各单位销号率" if chinese else "Closure rate by unit")
    return figure


def trend_figure(points: list[dict[str, Any]], lang: Lang) -> Figure:
    """New and closed per month, and the open count at each month's end."""
    chinese = _chinese(lang)
    periods = [p["period"] for p in points]
    positions = list(range(len(periods)))
    figure = _figure()
    axes = figure.add_subplot()
    axes.bar([x - 0.2 for x in positions], [p["new"] for p in points], width=0.4, label="新增" if chinese else "New")
    axes.bar(
        [x + 0.2 for x in positions], [p["closed"] for p in points], width=0.4, label="销号" if chinese else "Closed"
    )
    axes.plot(positions, [p["open_at_end"] for p in points], color="black", marker="o",
              label="期末在办" if chinese else "Open at end")  # fmt: skip
    axes.set_xticks(positions, periods)
    axes.legend()
    axes.set_title("整改趋势" if chinese else "Trend")
    return figure
