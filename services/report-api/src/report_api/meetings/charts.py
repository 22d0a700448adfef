"""Charts of the meeting report as PNG images (matplotlib, Agg backend, no pyplot state)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

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
    """An installed font family that has Chinese glyphs, or None."""
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


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def unit_chart(units: list[dict[str, Any]], lang: Lang) -> bytes:
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
    return _png(figure)


def trend_chart(points: list[dict[str, Any]], lang: Lang) -> bytes:
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
    return _png(figure)
