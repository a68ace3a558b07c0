"""Why a BgMax file was refused, in one line of the user's language (Swedish first)."""

from django.utils.translation import gettext as _

from . import bgmax


def describe_error(error: bgmax.BgMaxError) -> str:
    """One line in the user's language saying why a file was refused and where."""
    details = error.details
    messages = {
        "empty": _("The file is empty."),
        "too_long": _("the record has %(length)s characters; BgMax records have 80."),
        "unknown_code": _("unknown transaction code “%(code)s”."),
        "bad_field": _("the field %(field)s (positions %(positions)s) is not valid."),
        "no_start": _("the file does not begin with a start record (01)."),
        "not_bgmax": _("the layout is “%(layout)s”, not BGMAX."),
        "out_of_order": _("a record with code %(code)s cannot stand here."),
        "no_end": _("the file ends without an end record (70)."),
        "after_end": _("there are records after the end record (70)."),
        "deposit_count": _(
            "the deposit record says %(expected)s payments, the deposit has %(found)s."
        ),
        "deposit_amount": _(
            "the deposit record says %(expected)s öre, the payments add up to %(found)s öre."
        ),
        "end_count": _("the end record says %(expected)s %(count)s, the file has %(found)s."),
        "test_file": _("this is a test file from Bankgirot (test flag T); it books nothing."),
        "unknown_bankgiro": _(
            "the payments are to bankgiro %(bankgiro)s, which no issuer in Bibblix has."
        ),
    }
    if error.reason == "end_count":
        details = {**details, "count": _count_name(str(details["count"]))}
    if error.reason == "bad_field":
        details = {**details, "field": _field_name(str(details["field"]))}
    text = messages.get(error.reason, error.reason) % details
    if error.line is None:
        return text
    return _("The file was not imported: line %(line)s: %(problem)s") % {
        "line": error.line,
        "problem": text,
    }


def _count_name(count: str) -> str:
    return {
        "payments": _("payments"),
        "deductions": _("deductions"),
        "extra_references": _("extra references"),
        "deposits": _("deposits"),
    }.get(count, count)


def _field_name(name: str) -> str:
    return {
        "version": _("version"),
        "written_at": _("written at"),
        "test_flag": _("test flag"),
        "payer_bankgiro": _("payer's bankgiro"),
        "amount": _("amount"),
        "reference_code": _("reference code"),
        "channel": _("payment channel"),
        "bgc_serial": _("BGC serial number"),
        "image_flag": _("image flag"),
        "deduction_code": _("deduction code"),
        "payee_bankgiro": _("payee's bankgiro"),
        "payee_plusgiro": _("payee's plusgiro"),
        "payer_org_number": _("payer's organisation number"),
        "payment_date": _("payment date"),
        "deposit_serial": _("deposit serial number"),
        "payment_count": _("number of payments"),
        "currency": _("currency (only SEK)"),
    }.get(name, name.removesuffix("_count").replace("_", " "))
