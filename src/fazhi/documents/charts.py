"""Charts for documents: PNG from matplotlib (Agg, no display) in Noto Sans CJK SC, the free font every
server that renders documents has (fonts-noto-cjk, docs/documents.md)."""

import io
import math

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FONT_FAMILY = "Noto Sans CJK SC"
RC = {"font.family": "sans-serif", "font.sans-serif": [FONT_FAMILY, "Noto Sans CJK JP", "DejaVu Sans"]}

WIDTH_CM, HEIGHT_CM = 15, 8
TITLE_PT, TICK_PT = 11, 8
ROTATE_ABOVE = 6  # more labels than this: the category labels are turned 30°
GAP_PT = 4  # white space kept between the outermost text and the edge of the picture


def bar_chart(labels: list[str], values: list[float], title: str, *, dpi: int = 150) -> bytes:
    """A bar chart as PNG bytes, 15 × 8 cm (fits the 156 mm text block), values written on the bars."""
    with matplotlib.rc_context({**RC, "axes.unicode_minus": False}):
        fig = bar_figure(labels, values, title, dpi=dpi)
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()


def bar_figure(labels: list[str], values: list[float], title: str, *, dpi: int = 150) -> Figure:
    """The Figure behind bar_chart (call it inside bar_chart's rc_context). A Figure of its own, not pyplot: no
    global state shared between threads of a worker. The margins are measured from the text itself rather than by
    tight_layout, which draws the whole figure once more (a third of a chart's time)."""
    fig = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=dpi)
    FigureCanvasAgg(fig)  # the Agg canvas from the start: its renderer measures the text below, savefig reuses it
    ax = fig.add_subplot()
    labels = [str(s) for s in labels]
    bars = ax.bar(labels, list(values), color="#c0392b")
    ax.set_ymargin(0.12)  # room above the tallest bar for its value
    ax.set_title(title, fontsize=TITLE_PT)
    ax.bar_label(bars, fontsize=TICK_PT)
    rotation = 30 if len(labels) > ROTATE_ABOVE else 0
    ax.tick_params(axis="x", labelsize=TICK_PT, labelrotation=rotation)
    if rotation:  # each turned label ends under its own bar instead of crossing its neighbours'
        for label in ax.get_xticklabels():
            label.set(horizontalalignment="right", rotation_mode="anchor")
    ax.tick_params(axis="y", labelsize=TICK_PT)
    ax.spines[["top", "right"]].set_visible(False)
    _fit(fig, ax, labels, rotation)
    return fig


def _fit(fig: Figure, ax, labels: list[str], rotation: float) -> None:
    """Set the margins so that the title, the y tick labels and the (turned) category labels just fit."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    tick_font = FontProperties(size=TICK_PT)
    points = 72 / fig.dpi

    def extent(text: str, size_font) -> tuple[float, float]:
        w, h, _ = renderer.get_text_width_height_descent(text, size_font, ismath=False)
        return w * points, h * points

    width_pt, height_pt = WIDTH_CM / 2.54 * 72, HEIGHT_CM / 2.54 * 72
    tick_room = 3.5 + 3.5  # major tick length + pad (matplotlib's defaults)
    ymin, ymax = ax.get_ylim()
    ticks = [t for t in ax.yaxis.get_major_locator().tick_values(ymin, ymax) if ymin <= t <= ymax]
    texts = ax.yaxis.get_major_formatter().format_ticks(ticks) if ticks else ["0"]
    left = max(extent(t, tick_font)[0] for t in texts) + tick_room + GAP_PT

    # Heights from a full line (a thin glyph such as 一 measures almost nothing); widths from the labels.
    line = extent("国lp", tick_font)[1]
    theta = math.radians(rotation)
    sizes = [(extent(s, tick_font)[0], line) for s in labels] or [(0.0, line)]
    bottom = max(w * math.sin(theta) + h * math.cos(theta) for w, h in sizes) + tick_room + GAP_PT
    # A turned label ends at its bar and reaches left; a level one is centred on its bar. The first and last may
    # pass the axes' edge; the axes are about the picture's width less the y labels.
    if rotation:
        before = [w * math.cos(theta) + h * math.sin(theta) / 2 for w, h in sizes]
        after = [h * math.sin(theta) / 2 for w, h in sizes]
    else:
        before = after = [w / 2 for w, _ in sizes]
    xmin, xmax = ax.get_xlim()
    axes_pt = width_pt - left - GAP_PT
    first = (0 - xmin) / (xmax - xmin) * axes_pt
    last = (xmax - (len(sizes) - 1)) / (xmax - xmin) * axes_pt
    left = max(left, before[0] - first + GAP_PT)
    right = max(GAP_PT, after[-1] - last + GAP_PT)

    title_h = extent("国lp", FontProperties(size=TITLE_PT))[1]
    top = title_h + 6 + GAP_PT  # 6: the title's pad above the axes
    fig.subplots_adjust(
        left=left / width_pt, right=1 - right / width_pt, bottom=bottom / height_pt, top=1 - top / height_pt
    )
