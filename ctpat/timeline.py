"""The partner timeline's entries, and the registry through which apps add theirs.

partners builds the entries it owns (field history, enrollment moves, submissions);
apps built on it (validations, forced labor, ...) register a source as a "timeline_sources"
contribution in their AppConfig.ready(), so partners never imports them and their records
still show.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .registry import registry


@dataclass
class TimelineEntry:
    at: datetime
    actor: object
    title: str
    reason: str = ""
    changes: list = field(default_factory=list)  # (field label, before, after)


def entries_from_other_apps(partner, viewer) -> list[TimelineEntry]:
    """Entries of every registered source: source(partner, viewer), one query each."""
    return [entry for source in registry["timeline_sources"] for entry in source(partner, viewer)]
