"""Partners a new one may duplicate: a close legal name in the same country and entity type,
or an identifier already on file.

On PostgreSQL "close" is pg_trgm trigram similarity, so "Acme Imports Inc." finds
"ACME Import, Inc" and "Acme Imports Incorporated". Elsewhere (SQLite, for local work) it
falls back to the same normalized name: case, punctuation and company suffixes ignored.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from accounts.models import User

from .models import Partner, PartnerIdentifier

# pg_trgm's own default for the % operator is 0.3, which matches too loosely on short
# names ("Acme Foods" ~ "Acme Tools"); 0.5 still finds reordered or abbreviated suffixes.
SIMILARITY = 0.5

SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "co",
    "company",
    "corp",
    "corporation",
    "sa",
    "de",
    "cv",
    "gmbh",
    "plc",
}


def normalized_name(name: str) -> str:
    """ "ACME Imports, Inc." -> "acme imports": casefold, accents and punctuation dropped,
    company suffixes at the end dropped."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = text.replace("&", " and ").replace(".", "")  # "L.L.C." is "llc"
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class Duplicates:
    partners: list[Partner]  # the ones the user may see, to link to
    hidden: int  # likely duplicates outside the user's scope: counted, never named

    def __bool__(self):
        return bool(self.partners or self.hidden)


def _similar_names(legal_name: str, country: str, entity_type: str) -> set[int]:
    same_kind = Partner.objects.filter(country=country, entity_type=entity_type)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return set(
            same_kind.annotate(similarity=TrigramSimilarity("legal_name", legal_name))
            .filter(similarity__gte=SIMILARITY)
            .values_list("pk", flat=True)[:50]
        )
    wanted = normalized_name(legal_name)
    return {
        pk
        for pk, name in same_kind.values_list("pk", "legal_name").iterator()
        if normalized_name(name) == wanted
    }


def likely_duplicates(
    *,
    user: User,
    legal_name: str,
    country: str,
    entity_type: str,
    identifiers: Iterable[tuple[str, str]] = (),
) -> Duplicates:
    """`identifiers`: (kind, normalized value) pairs."""
    ids = _similar_names(legal_name, country, entity_type)
    pairs = [(kind, value) for kind, value in identifiers if kind and value]
    if pairs:
        known = Q()
        for kind, value in pairs:
            known |= Q(kind=kind, value=value)
        ids |= set(PartnerIdentifier.objects.filter(known).values_list("partner_id", flat=True))
    if not ids:
        return Duplicates([], 0)
    visible = list(
        Partner.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("field_office")
        .order_by("legal_name", "pk")
    )
    return Duplicates(visible, len(ids) - len(visible))
