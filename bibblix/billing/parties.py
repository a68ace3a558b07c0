"""The seller and buyer as an e-invoice needs them: what must be present before approval, and the
copy kept on an issued invoice so it never changes with the register."""

from dataclasses import asdict

from django.utils.translation import gettext as _

from bibblix.members.models import Organisation

from .documents.data import Party
from .models import Issuer


def party(organisation: Organisation, issuer: Issuer | None = None) -> Party:
    """`organisation` as a document party; the issuer details when it is the seller."""
    return Party(
        name=organisation.name,
        organisation_number=organisation.organisation_number,
        street=organisation.street,
        postcode=organisation.postcode,
        city=organisation.city,
        country_code=organisation.country_code or "SE",
        vat_number=issuer.vat_number if issuer else "",
        peppol_id=organisation.peppol_id,
        is_placeholder=organisation.organisation_number_is_placeholder
        or bool(issuer and issuer.is_placeholder),
    )


def snapshot(issuer: Issuer, buyer: Organisation) -> dict:
    """Seller and buyer as they are invoiced today (stored on the issued invoice)."""
    return {
        "seller": asdict(party(issuer.organisation, issuer)),
        "buyer": asdict(party(buyer)),
        "bankgiro": issuer.bankgiro,
        "has_f_skatt": issuer.has_f_skatt,
    }


def _missing(organisation: Organisation, fields: list[tuple[str, str]]) -> list[str]:
    return [label for name, label in fields if not getattr(organisation, name)]


def party_problems(issuer: Issuer, buyers) -> list[str]:
    """One line per organisation that lacks what a Peppol invoice needs, in the user's language."""
    address = [
        ("street", _("street address")),
        ("postcode", _("postcode")),
        ("city", _("city")),
    ]
    problems = []
    seller = issuer.organisation
    missing = _missing(seller, [*address, ("organisation_number", _("organisation number"))])
    missing += [
        label
        for value, label in ((issuer.vat_number, _("VAT number")), (issuer.bankgiro, _("bankgiro")))
        if not value
    ]
    if missing:
        problems.append(
            _("The issuer %(name)s lacks: %(missing)s.")
            % {"name": seller.name, "missing": ", ".join(missing)}
        )
    for buyer in sorted(buyers, key=lambda b: b.name):
        missing = _missing(
            buyer,
            [
                ("invoice_reference", _("buyer reference")),
                *address,
                ("peppol_id", _("Peppol id")),
            ],
        )
        if missing:
            problems.append(
                _("%(name)s lacks: %(missing)s.")
                % {"name": buyer.name, "missing": ", ".join(missing)}
            )
    return problems
