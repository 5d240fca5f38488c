"""Charts for documents: PNG from matplotlib (Agg, no display) in Noto Sans CJK SC, the free font every
server that renders documents has (fonts-noto-cjk, docs/documents.md)."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

FONT_FAMILY = "Noto Sans CJK SC"
RC = {"font.family": "sans-serif", "font.sans-serif": [FONT_FAMILY, "Noto Sans CJK JP", "DejaVu Sans"]}


def bar_chart(labels: list[str], values: list[float], title: str, *, dpi: int = 150) -> bytes:
    """A bar chart as PNG bytes, 15 × 8 cm (fits the 156 mm text block), values written on the bars."""
    with matplotlib.rc_context({**RC, "axes.unicode_minus": False}):
        # A Figure of its own, not pyplot: no global state shared between threads of a worker.
        fig = Figure(figsize=(15 / 2.54, 8 / 2.54), dpi=dpi)
        ax = fig.add_subplot()
        bars = ax.bar(list(labels), list(values), color="#c0392b")
        ax.set_title(title, fontsize=11)
        ax.bar_label(bars, fontsize=8)
        ax.tick_params(axis="x", labelsize=8, labelrotation=30 if len(labels) > 6 else 0)
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()
