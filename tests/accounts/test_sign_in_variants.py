"""Every spelling of an address that Python or PostgreSQL folds to it is one account, with one
lockout, or no account at all (issue 14).

For each character of the address, the variants are every code point that Python's
upper(), lower(), casefold() or NFKC, or (on PostgreSQL) the database's upper() and lower(),
map to what they map the character to. The ones that normalize (NFKC, casefold) to the same
address are the same account: after five failures none of them signs in. The others (the
dotless i, which casefold keeps apart, and what PostgreSQL alone folds) are other addresses:
they never sign in to the account, with the right password or not.
"""

import hashlib
import sys
import unicodedata
from itertools import count

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts.access import axes_username
from accounts.models import normalize_email
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "specialist@example.gov"
LOGIN = reverse("login")
SURROGATES = range(0xD800, 0xE000)
NO_MAPPING = {"Cn", "Co", "Cs"}


def _python_folds(text: str) -> set[str]:
    nfkc = unicodedata.normalize("NFKC", text)
    return {text.upper(), text.lower(), text.casefold(), nfkc, nfkc.upper(), nfkc.lower()}


def python_variants(chars: set[str]) -> dict[str, set[str]]:
    """{char: code points Python folds (case, casefold, NFKC) to what it folds the char to}."""
    wanted: dict[str, set[str]] = {}  # a folded form -> the chars that fold to it
    for char in chars:
        for form in _python_folds(char) | {normalize_email(char)}:
            wanted.setdefault(form, set()).add(char)
    found: dict[str, set[str]] = {char: set() for char in chars}
    for code in range(1, sys.maxunicode + 1):
        other = chr(code)
        # Unassigned, private-use and surrogate code points have no case or compatibility
        # mapping in Python's Unicode database: each folds only to itself.
        if unicodedata.category(other) in NO_MAPPING:
            continue
        for form in _python_folds(other) | {normalize_email(other)}:
            for char in wanted.get(form, ()):
                if other != char:
                    found[char].add(other)
    return found


def postgresql_variants(chars: set[str]) -> dict[str, set[str]]:
    """{char: code points whose upper() or lower() in the database equals the char's}, asked
    of the database in batches of code points, with the database's own collation, which is
    what `email__iexact` used."""
    chars = sorted(chars)
    with connection.cursor() as cursor:
        cursor.execute("SELECT upper(x), lower(x) FROM unnest(%s::text[]) AS x", [chars])
        folded = dict(zip(chars, cursor.fetchall(), strict=True))
        found: dict[str, set[str]] = {char: set() for char in chars}
        batch = 0x10000
        for start in range(1, sys.maxunicode + 1, batch):
            codes = [
                c
                for c in range(start, min(start + batch, sys.maxunicode + 1))
                if c not in SURROGATES
            ]
            cursor.execute(
                "SELECT x, upper(x), lower(x) FROM unnest(%s::text[]) AS x",
                [[chr(c) for c in codes]],
            )
            for other, upper, lower in cursor.fetchall():
                for char, (char_upper, char_lower) in folded.items():
                    if other != char and (upper == char_upper or lower == char_lower):
                        found[char].add(other)
    return found


def spellings(variants: dict[str, set[str]]) -> list[str]:
    """The address with one character replaced by each of its variants."""
    return sorted(
        {
            ADDRESS[:i] + other + ADDRESS[i + 1 :]
            for i, char in enumerate(ADDRESS)
            for other in variants[char]
        }
    )


_addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in count(1))


def sign_in(client, address, password):
    """A sign-in from an address of its own: neither the per-IP rate limit nor the counter
    of unknown addresses for one IP plays any part."""
    client.cookies.clear()
    return client.post(
        LOGIN, {"username": address, "password": password}, REMOTE_ADDR=next(_addresses)
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def check_every_spelling(client, variants: dict[str, set[str]]) -> None:
    user = UserFactory(email=ADDRESS)
    same, others = [], []
    for spelling in spellings(variants):
        (same if normalize_email(spelling) == ADDRESS else others).append(spelling)
    assert same and others

    # Not the same account: the right password never signs in to it.
    for spelling in others:
        response = sign_in(client, spelling, PASSWORD)
        assert not signed_in(client), spelling
        assert response.status_code == 200, spelling

    # The same account: one counter, whatever the spelling of each failure.
    for spelling in same[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, spelling, "not-the-password")
    for spelling in [ADDRESS, *same, ADDRESS.upper()]:
        response = sign_in(client, spelling, PASSWORD)
        assert response.status_code == 429, spelling
        assert not signed_in(client), spelling
    # And the other spellings still do not reach it.
    for spelling in others:
        sign_in(client, spelling, PASSWORD)
        assert not signed_in(client), spelling
    user.refresh_from_db()
    assert user.last_login is None


@pytest.fixture(scope="module")
def python_char_variants():
    return python_variants(set(ADDRESS))


def test_the_variants_include_the_ones_of_the_attack(python_char_variants):
    assert "ſ" in python_char_variants["s"]  # long s: NFKC makes it s
    assert "ı" in python_char_variants["i"]  # dotless i: upper() makes it I
    assert "ｓ" in python_char_variants["s"]  # fullwidth: NFKC
    assert normalize_email("ſpecialist@example.gov") == ADDRESS
    assert normalize_email("specıalist@example.gov") != ADDRESS


def test_every_python_spelling_counts_against_the_account_or_its_own_spelling(
    rf, python_char_variants
):
    user = UserFactory(email=ADDRESS)
    request = rf.post(LOGIN, REMOTE_ADDR="192.0.2.7")
    for spelling in spellings(python_char_variants):
        key = axes_username(request, {"username": spelling})
        if normalize_email(spelling) == ADDRESS:
            assert key == f"account:{user.pk}", spelling
        else:
            digest = hashlib.sha256(normalize_email(spelling).encode()).hexdigest()[:32]
            assert key == f"unknown:{digest}", spelling


def test_postgresql_folds_the_dotted_and_dotless_i_to_i(postgresql):
    database = postgresql_variants({"i", "s"})
    assert {"ı", "İ"} <= database["i"], "the database's collation folds only ASCII (C?)"
    assert "ſ" in database["s"]


def test_no_spelling_python_or_the_database_folds_signs_in_after_five_failures(
    client, python_char_variants
):
    """On PostgreSQL, the spellings the database's upper() and lower() fold are added to
    Python's; on SQLite, Python's alone."""
    variants = python_char_variants
    if connection.vendor == "postgresql":
        database = postgresql_variants(set(ADDRESS))
        variants = {char: variants[char] | database[char] for char in set(ADDRESS)}
    check_every_spelling(client, variants)
