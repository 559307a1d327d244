"""Links other apps put on the partner page, so partners never imports them.

An app registers its links as "partner_links" contributions in its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .registry import registry


def everyone(user, partner) -> bool:
    """A link for everyone who may see the partner page (the page itself is scoped)."""
    return True


@dataclass(frozen=True)
class PartnerLink:
    label: str
    url_name: str
    # Whether to offer it: the predicate (user, partner) of the action behind the link, from
    # the owning app's permissions.py, so the page never offers what its view refuses.
    allowed: Callable[..., object] = everyone
    by_query: bool = False  # ?partner=<id> on a list, rather than the id in the path

    def url(self, partner) -> str:
        if self.by_query:
            return f"{reverse(self.url_name)}?partner={partner.pk}"
        return reverse(self.url_name, args=[partner.pk])


def links_for(user, partner) -> list[tuple[str, str]]:
    return [
        (link.label, link.url(partner))
        for link in registry["partner_links"]
        if link.allowed(user, partner)
    ]
