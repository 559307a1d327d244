"""Links other apps put on the partner page, so partners never imports them.

An app declares its links in its own `partner_links.py` with `register(...)`.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class PartnerLink:
    label: str
    url_name: str
    roles: frozenset
    by_query: bool = False  # ?partner=<id> on a list, rather than the id in the path

    def url(self, partner) -> str:
        if self.by_query:
            return f"{reverse(self.url_name)}?partner={partner.pk}"
        return reverse(self.url_name, args=[partner.pk])


_links: list[PartnerLink] = []
_discovered = False


def register(link: PartnerLink) -> PartnerLink:
    _links.append(link)
    return link


def links_for(user, partner) -> list[tuple[str, str]]:
    global _discovered
    if not _discovered:
        autodiscover_modules("partner_links")
        _discovered = True
    return [(link.label, link.url(partner)) for link in _links if user.role in link.roles]
