"""Durations in days, kept as histograms that add up across groups (for medians).

Exact days for the first month, then coarser steps: a median read from the histogram is
the lower bound of its step (at most 5 days off under 90 days, 15 under a year, 30
after). The coarse steps keep a histogram per field office, specialist and entity type to
a few dozen rows instead of hundreds.
"""

STEPS = [(30, 1), (90, 5), (365, 15), (730, 30)]
CAP = 730


def day_bucket(days: int) -> int:
    """The step `days` falls in, as the step's first day."""
    days = max(0, days)
    if days >= CAP:
        return CAP
    start = 0
    for end, step in STEPS:
        if days < end:
            return start + (days - start) // step * step
        start = end
    return CAP


def median(histogram: dict[int, int]) -> int | None:
    """The median of {first day of step: count}, as the first day of its step."""
    total = sum(histogram.values())
    if not total:
        return None
    middle, seen = (total + 1) / 2, 0
    for day in sorted(histogram):
        seen += histogram[day]
        if seen >= middle:
            return day
    return max(histogram)
