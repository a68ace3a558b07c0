"""Organisation numbers (python-stdnum) and Peppol participant ids are checked."""

import pytest
from django.core.exceptions import ValidationError

from bibblix.members.models import Organisation


def municipality(**fields):
    return Organisation(name="Ale", municipality_code="1440", **fields)


def test_valid_organisation_number_is_formatted_with_hyphen(db):
    org = municipality(organisation_number="2120001439")
    org.full_clean()
    assert org.organisation_number == "212000-1439"


def test_bad_check_digit_is_refused_in_swedish(db):
    with pytest.raises(ValidationError) as error:
        municipality(organisation_number="212000-1430").full_clean()
    assert "inte ett giltigt" in str(error.value.message_dict["organisation_number"])


def test_peppol_id_with_swedish_organisation_number(db):
    org = municipality(organisation_number="212000-1439", peppol_id=" 0007:2120001439 ")
    org.full_clean()
    assert org.peppol_id == "0007:2120001439"


def test_peppol_scheme_prefix_is_stripped(db):
    org = municipality(peppol_id="iso6523-actorid-upis::0007:2120001439")
    org.full_clean()
    assert org.peppol_id == "0007:2120001439"


@pytest.mark.parametrize(
    "value", ["2120001439", "0007:212000-1439", "0007:2120001430", "7:2120001439", "0088:123"]
)
def test_malformed_peppol_ids_are_refused(db, value):
    with pytest.raises(ValidationError) as error:
        municipality(peppol_id=value).full_clean()
    assert "peppol_id" in error.value.message_dict


def test_peppol_id_must_name_the_same_organisation(db):
    with pytest.raises(ValidationError) as error:
        municipality(organisation_number="212000-1504", peppol_id="0007:2120001439").full_clean()
    assert "annat organisationsnummer" in str(error.value.message_dict["peppol_id"])


def test_municipality_code_is_four_digits(db):
    with pytest.raises(ValidationError):
        Organisation(name="Ale", municipality_code="144").full_clean()
