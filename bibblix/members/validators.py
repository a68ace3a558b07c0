"""Validators for identifiers in the register: Swedish organisation numbers (python-stdnum) and
Peppol participant identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.se import orgnr

# A Peppol participant id is "<ICD>:<identifier>" (Peppol Policy for use of identifiers, 4.0,
# POLICY 3): the ICD is a four-digit code from ISO 6523. Swedish organisations use 0007 with the
# ten-digit organisation number without hyphen; 0088 is a GLN.
PEPPOL_ID = re.compile(r"^(?P<icd>\d{4}):(?P<identifier>[A-Za-z0-9.\-_]{1,50})$")
PEPPOL_SCHEME_PREFIX = "iso6523-actorid-upis::"
ICD_SWEDISH_ORGNR = "0007"
ICD_GLN = "0088"


def validate_organisation_number(value: str) -> None:
    if value and not orgnr.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid Swedish organisation number."), params={"value": value}
        )


def format_organisation_number(value: str) -> str:
    """The organisation number as NNNNNN-NNNN, or the input unchanged when it is not valid."""
    return orgnr.format(value) if value and orgnr.is_valid(value) else value.strip()


def normalise_peppol_id(value: str) -> str:
    """Strip spaces and the optional scheme prefix: "iso6523-actorid-upis::0007:…" → "0007:…"."""
    value = (value or "").strip().replace(" ", "")
    if value.lower().startswith(PEPPOL_SCHEME_PREFIX):
        value = value[len(PEPPOL_SCHEME_PREFIX) :]
    return value


def validate_peppol_id(value: str) -> None:
    if not value:
        return
    match = PEPPOL_ID.match(value)
    if not match:
        raise ValidationError(
            _("%(value)s is not a Peppol participant id of the form 0007:5560000000."),
            params={"value": value},
        )
    icd, identifier = match["icd"], match["identifier"]
    if icd == ICD_SWEDISH_ORGNR and not (identifier.isdigit() and orgnr.is_valid(identifier)):
        raise ValidationError(
            _("After 0007: a Peppol id needs a valid ten-digit organisation number, no hyphen."),
        )
    if icd == ICD_GLN and not ean.is_valid(identifier):
        raise ValidationError(_("After 0088: a Peppol id needs a valid GLN (13 digits)."))


def peppol_organisation_number(value: str) -> str | None:
    """The organisation number inside a 0007 Peppol id, formatted NNNNNN-NNNN, else None."""
    match = PEPPOL_ID.match(value or "")
    if match and match["icd"] == ICD_SWEDISH_ORGNR and orgnr.is_valid(match["identifier"]):
        return orgnr.format(match["identifier"])
    return None


POSTCODE = re.compile(r"^\d{3} \d{2}$")


def format_postcode(value: str) -> str:
    """A Swedish postcode as printed: "44980", "SE-449 80" → "449 80"; other text unchanged."""
    digits = re.sub(r"^(SE-?)", "", (value or "").strip(), flags=re.IGNORECASE).replace(" ", "")
    if len(digits) == 5 and digits.isdigit():
        return f"{digits[:3]} {digits[3:]}"
    return (value or "").strip()


def split_postal_address(text: str, name: str = "") -> dict[str, str]:
    """Read a free-text address ("Ale kommun\\nFakturaservice\\nBox 73\\n449 80 Alafors") into
    address_line, street, postcode and city; the organisation's own name line is dropped.
    What cannot be read stays in address_line, so nothing is lost."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if lines and name and lines[0].lower().startswith(name.lower()):
        lines = lines[1:]
    result = {"address_line": "", "street": "", "postcode": "", "city": ""}
    if lines:
        match = re.match(r"^(?:SE-?)?(\d{3}\s?\d{2})\s+(.+)$", lines[-1], flags=re.IGNORECASE)
        if match:
            result["postcode"] = format_postcode(match.group(1))
            result["city"] = match.group(2).strip()
            lines = lines[:-1]
    if lines:
        result["street"] = lines[-1]
        lines = lines[:-1]
    result["address_line"] = ", ".join(lines)[:200]
    return result
