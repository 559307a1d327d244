"""Server-rendered SVG charts: no JavaScript, no CDN, printable; pair each with a table."""

import uuid

from django.utils.html import escape


def stacked_bars(rows, series, *, title: str, width: int = 640, bar: int = 16) -> str:
    """Horizontal stacked bars, one per row: rows are (label, {series key: count}).

    `series` is [(key, label, colour)]. The chart has a title and description for
    screen readers; the numbers belong in a table beside it.
    """
    label_width, gap = 210, 8
    chart_width = width - label_width - 40
    total_max = max((sum(values.values()) for _, values in rows), default=0) or 1
    legend_parts, legend = _legend(series, width)
    height = legend + len(rows) * (bar + gap) + 10
    parts = [_open(width, height, title), *legend_parts]
    y = legend
    for label, values in rows:
        parts.append(_label(label, label_width, y + bar - 4))
        x = label_width
        for key, _, colour in series:
            count = values.get(key, 0)
            if count:
                w = chart_width * count / total_max
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
                )
                x += w
        total = sum(values.values())
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + bar - 4}" font-size="10" font-family="sans-serif">'
            f"{total}</text>"
        )
        y += bar + gap
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(rows, series, *, title: str, width: int = 640, bar: int = 10) -> str:
    """Horizontal bars side by side, one per series in each row, for comparing figures
    (members against the baseline): rows are (label, {series key: number or None}, unit).

    Each row has its own scale, since rows may measure different things (a rate, hours):
    compare the bars within a row, and read the numbers printed beside them.
    """
    label_width, gap = 210, 10
    chart_width = width - label_width - 60
    legend_parts, legend = _legend(series, width)
    height = legend + len(rows) * (bar * len(series) + gap) + 10
    parts = [_open(width, height, title), *legend_parts]
    y = legend
    for label, values, unit in rows:
        parts.append(_label(label, label_width, y + bar * len(series) / 2 + 3))
        top = max((v for v in values.values() if v), default=0) or 1
        for key, _, colour in series:
            value = values.get(key)
            w = chart_width * (value or 0) / top
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar - 1}" '
                f'fill="{colour}"/>'
            )
            shown = "n/a" if value is None else f"{value:g}{unit}"
            parts.append(
                f'<text x="{label_width + w + 4:.1f}" y="{y + bar - 2}" font-size="9" '
                f'font-family="sans-serif">{escape(shown)}</text>'
            )
            y += bar
        y += gap
    parts.append("</svg>")
    return "".join(parts)


CHAR = 5.6  # rough width of a 10px sans-serif letter


def _open(width, height, title) -> str:
    # Several charts share a page: each title needs its own id for aria-labelledby.
    title_id = f"chart-{uuid.uuid4().hex[:10]}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}">'
        f'<title id="{title_id}">{escape(title)}</title>'
    )


def _legend(series, width) -> tuple[list[str], int]:
    """The legend's parts, and the y where the bars start below it."""
    parts, x, y = [], 0.0, 4
    for _key, label, colour in series:
        item_width = 14 + CHAR * len(label) + 14
        if x + item_width > width:
            x, y = 0.0, y + 16
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 14:.0f}" y="{y + 9}" font-size="10" font-family="sans-serif">'
            f"{escape(label)}</text>"
        )
        x += item_width
    return parts, y + 24


def _label(label, label_width, y) -> str:
    longest = int((label_width - 10) / CHAR)
    shown = label if len(label) <= longest else label[: longest - 1].rstrip() + "…"
    return (
        f'<text x="{label_width - 6}" y="{y:.0f}" font-size="10" text-anchor="end" '
        f'font-family="sans-serif"><title>{escape(label)}</title>{escape(shown)}</text>'
    )
