"""The partner timeline's entries, and the registry through which apps add theirs.

partners builds the entries it owns (field history, enrollment moves, submissions);
apps built on it (validations, forced labor, ...) register a source in their own
`timeline.py`, so partners never imports them and their records still show.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.module_loading import autodiscover_modules


@dataclass
class TimelineEntry:
    at: datetime
    actor: object
    title: str
    reason: str = ""
    changes: list = field(default_factory=list)  # (field label, before, after)


# source(partner, viewer) -> entries; one query per source.
_sources: list[Callable[..., Iterable[TimelineEntry]]] = []
_discovered = False


def register(source):
    _sources.append(source)
    return source


def entries_from_other_apps(partner, viewer) -> list[TimelineEntry]:
    global _discovered
    if not _discovered:
        autodiscover_modules("timeline")
        _discovered = True
    return [entry for source in _sources for entry in source(partner, viewer)]
