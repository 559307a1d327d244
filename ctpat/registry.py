"""The one declared registry of extension points.

An app adds what it contributes to shared machinery (a deadline kind, a partner condition for
the dashboard, a link on the partner page, a source of timeline entries, a rule Trade
Compliance acceptance checks, its demo data) in its `AppConfig.ready()`:

    registry.register("partner_links", PartnerLink(...))

Nothing is discovered by file name. The keys are fixed here, so a misspelt key fails at start-up
instead of contributing to nothing; the README lists them in one table. Lower apps read what
higher apps registered without importing them, so the import arrows keep pointing down.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

EXTENSION_POINTS = {
    "deadline_kinds": "Kinds of dated obligation (ctpat.deadlines.DeadlineKind): the sweep, "
    "partner pages, home pages and the dashboard read them.",
    "deadline_extensions": "Where granted extensions come from (ctpat.deadlines."
    "ExtensionSource): one, registered by the deadlines app.",
    "consequence_actions": "ConsequenceActions proposed by a decision rather than by an "
    "overdue deadline (a failed validation proposes a Security suspension; "
    "ctpat.deadlines.ConsequenceAction).",
    "consequence_proposals": "Where a decision's proposed consequence is recorded "
    "(ctpat.deadlines.ConsequenceQueue): one, registered by the deadlines app.",
    "partner_conditions": "Named conditions on partners (ctpat.partner_filters."
    "PartnerCondition): a dashboard figure and the partner list behind it.",
    "partner_links": "Links on the partner page (ctpat.partner_links.PartnerLink).",
    "timeline_sources": "Callables (partner, viewer) -> TimelineEntry items for the partner "
    "timeline (ctpat.timeline).",
    "acceptance_checks": "Callables (partner) -> messages: what else must hold before Trade "
    "Compliance is accepted (ctpat.acceptance).",
    "certification_checks": "Callables (enrollment) -> messages: what else must hold before a "
    "Security application is certified (an accepted Security Profile; ctpat.acceptance).",
    "required_action_closed": "Callables (action=...) called in the transaction that closes "
    "(accepts) a validation's required action: profiles asks the partner to update the "
    "answers it touches.",
    "annual_review_page": "Callables (partner_id) -> the path of the page where the company "
    "officer answers the annual Security Profile review (one, registered by profiles).",
    "demo_before_certify": "Callables (enrollment, actor) that partners' demo runs before it "
    "certifies a partner, so the demo meets the certification checks (profiles gives the "
    "partner an accepted Security Profile).",
    "second_factor_required": "Callables (user) -> bool: whether a person who is not CBP "
    "staff must use a second factor (accounts.mfa); staff always must.",
    "demo_data": "Callables () -> lines to print, run by `manage.py load_demo` in "
    "INSTALLED_APPS order.",
}


class Registry:
    """Lists of contributions under fixed keys; registering under any other key is refused."""

    def __init__(self, keys: Iterable[str]):
        self._items: dict[str, list[Any]] = {key: [] for key in keys}

    def register(self, key: str, item: Any) -> Any:
        if key not in self._items:
            raise ImproperlyConfigured(
                f"{key!r} is not an extension point; the registry knows "
                f"{', '.join(sorted(self._items))} (ctpat/registry.py)."
            )
        if item not in self._items[key]:
            self._items[key].append(item)
        return item

    def register_all(self, key: str, items: Iterable[Any]) -> None:
        for item in items:
            self.register(key, item)

    def __getitem__(self, key: str) -> tuple[Any, ...]:
        if key not in self._items:
            raise KeyError(f"{key!r} is not an extension point (ctpat/registry.py).")
        return tuple(self._items[key])


registry = Registry(EXTENSION_POINTS)
