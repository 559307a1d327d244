"""Checking and normalizing partner identifiers by kind.

Each checker takes what a person typed and returns the stored form (upper case,
separators removed or put in their usual place), or raises ValidationError with a
message that says what the format is. Formats follow DOMAIN.md; where CBP allows
several layouts (IOR numbers) each is accepted.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError

from .choices import IdentifierKind


def _compact(raw: str) -> str:
    return re.sub(r"[\s]", "", raw or "").upper()


def _digits(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "")


def _ein(raw):
    digits = _digits(raw)
    if not re.fullmatch(r"\d{9}", digits):
        raise ValidationError("An EIN is 9 digits, written 12-3456789.")
    return f"{digits[:2]}-{digits[2:]}"


def _ior(raw):
    value = _compact(raw)
    # An EIN with CBP's two-character suffix (12-345678900), or a CBP-assigned
    # number (YYDDPP-NNNNN).
    ein_with_suffix = re.fullmatch(r"(\d{2})-?(\d{7})([0-9A-Z]{2})", value)
    if ein_with_suffix:
        return "{}-{}{}".format(*ein_with_suffix.groups())
    cbp_assigned = re.fullmatch(r"(\d{6})-?(\d{5})", value)
    if cbp_assigned:
        return "{}-{}".format(*cbp_assigned.groups())
    raise ValidationError(
        "An IOR number is an EIN with a two-character suffix (12-345678900) "
        "or a CBP-assigned number (YYDDPP-NNNNN)."
    )


def _duns(raw):
    digits = _digits(raw)
    if not re.fullmatch(r"\d{9}", digits):
        raise ValidationError("A DUNS number is 9 digits.")
    return digits


def _scac(raw):
    value = _compact(raw)
    if not re.fullmatch(r"[A-Z]{2,4}", value):
        raise ValidationError("A SCAC is 2 to 4 letters.")
    return value


def _dot(raw):
    digits = _compact(raw).replace("-", "").removeprefix("USDOT")
    if not re.fullmatch(r"\d{1,8}", digits) or int(digits) == 0:
        raise ValidationError("A U.S. DOT number is 1 to 8 digits.")
    return str(int(digits))


def _fmc(raw):
    digits = _digits(raw)
    if not re.fullmatch(r"\d{6}", digits):
        raise ValidationError("An FMC organization number is 6 digits.")
    return digits


def _iata(raw):
    value = _compact(raw)
    if not re.fullmatch(r"[A-Z0-9]{2}", value) or value.isdigit():
        raise ValidationError("An IATA airline code is 2 letters or digits, not both digits.")
    return value


def _rfc(raw):
    value = _compact(raw).replace("-", "")
    match = re.fullmatch(r"([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{3})", value)
    if not match:
        raise ValidationError(
            "An RFC is 12 characters for a company (3 letters, a YYMMDD date, 3 characters) "
            "or 13 for a person (4 letters, the date, 3 characters)."
        )
    _, yy, mm, dd, _ = match.groups()
    for century in (2000, 1900):
        try:
            date(century + int(yy), int(mm), int(dd))
            break
        except ValueError:
            continue
    else:
        raise ValidationError(f"The RFC's date part {yy}{mm}{dd} is not a real date (YYMMDD).")
    return value


def _mid(raw):
    value = _compact(raw)
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{4,13}", value):
        raise ValidationError(
            "A manufacturer ID starts with the 2-letter country code, followed by 4 to 13 "
            "letters and digits (15 characters at most)."
        )
    return value


def _bond(raw):
    value = _compact(raw).replace("-", "")
    if not re.fullmatch(r"\d{3}[0-9A-Z]{6}", value):
        raise ValidationError(
            "A continuous bond number is 9 characters: the 3-digit surety code, then 6."
        )
    return value


CHECKERS = {
    IdentifierKind.IOR: _ior,
    IdentifierKind.EIN: _ein,
    IdentifierKind.DUNS: _duns,
    IdentifierKind.SCAC: _scac,
    IdentifierKind.DOT: _dot,
    IdentifierKind.FMC: _fmc,
    IdentifierKind.IATA: _iata,
    IdentifierKind.RFC: _rfc,
    IdentifierKind.MID: _mid,
    IdentifierKind.BOND: _bond,
}


def normalize_identifier(kind: str, raw: str) -> str:
    """The stored form of `raw` as an identifier of `kind`, or ValidationError."""
    if not (raw or "").strip():
        raise ValidationError("Enter the identifier.")
    try:
        checker = CHECKERS[IdentifierKind(kind)]
    except ValueError:
        raise ValidationError(f"Unknown identifier type {kind!r}.") from None
    return checker(raw.strip())
