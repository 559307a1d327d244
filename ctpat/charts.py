"""Server-rendered SVG charts: no JavaScript, no CDN, printable; pair each with a table."""

from django.utils.html import escape


def stacked_bars(rows, series, *, title: str, width: int = 640, bar: int = 16) -> str:
    """Horizontal stacked bars, one per row: rows are (label, {series key: count}).

    `series` is [(key, label, colour)]. The chart has a title and description for
    screen readers; the numbers belong in a table beside it.
    """
    label_width, gap, char = 210, 8, 5.6  # char: rough width of a 10px sans-serif letter
    chart_width = width - label_width - 40
    total_max = max((sum(values.values()) for _, values in rows), default=0) or 1
    legend_parts, x, y = [], 0.0, 4
    for _key, label, colour in series:
        item_width = 14 + char * len(label) + 14
        if x + item_width > width:
            x, y = 0.0, y + 16
        legend_parts.append(f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{colour}"/>')
        legend_parts.append(
            f'<text x="{x + 14:.0f}" y="{y + 9}" font-size="10" font-family="sans-serif">'
            f"{escape(label)}</text>"
        )
        x += item_width
    legend = y + 24
    height = legend + len(rows) * (bar + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        *legend_parts,
    ]
    longest = int((label_width - 10) / char)
    y = legend
    for label, values in rows:
        shown = label if len(label) <= longest else label[: longest - 1].rstrip() + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 4}" font-size="10" text-anchor="end" '
            f'font-family="sans-serif"><title>{escape(label)}</title>{escape(shown)}</text>'
        )
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
