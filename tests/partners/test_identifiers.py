import pytest
from django.core.exceptions import ValidationError

from partners.identifiers import normalize_identifier

VALID = [
    ("ein", "12-3456789", "12-3456789"),
    ("ein", "123456789", "12-3456789"),
    ("ior", "12-345678900", "12-345678900"),
    ("ior", "12345678900", "12-345678900"),
    ("ior", "260101-12345", "260101-12345"),
    ("duns", "123 456 789", "123456789"),
    ("scac", "abcd", "ABCD"),
    ("scac", "UP", "UP"),
    ("dot", "USDOT 0123456", "123456"),
    ("fmc", "012345", "012345"),
    ("iata", "5s", "5S"),
    ("rfc", "MBA150301AB1", "MBA150301AB1"),
    ("rfc", "GODE561231GR8", "GODE561231GR8"),
    ("mid", "mxmanbaj1234leo", "MXMANBAJ1234LEO"),
    ("bond", "457-A12345", "457A12345"),
]
INVALID = [
    ("ein", "12-345678", "9 digits"),
    ("ior", "ABC", "IOR number"),
    ("duns", "12345678X", "9 digits"),
    ("scac", "A1", "2 to 4 letters"),
    ("scac", "ABCDE", "2 to 4 letters"),
    ("dot", "123456789", "1 to 8 digits"),
    ("fmc", "12345", "6 digits"),
    ("iata", "55", "not both digits"),
    ("rfc", "MBA151301AB1", "not a real date"),
    ("rfc", "MB150301AB1", "12 characters"),
    ("mid", "1XMANBAJ", "country code"),
    ("bond", "45A123456", "surety code"),
    ("ein", "", "Enter the identifier"),
]


@pytest.mark.parametrize("kind,raw,stored", VALID)
def test_well_formed_identifiers_are_stored_normalized(kind, raw, stored):
    assert normalize_identifier(kind, raw) == stored


@pytest.mark.parametrize("kind,raw,message", INVALID)
def test_malformed_identifiers_get_a_message_that_says_the_format(kind, raw, message):
    with pytest.raises(ValidationError, match=message):
        normalize_identifier(kind, raw)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match="Unknown identifier type"):
        normalize_identifier("ssn", "123")
