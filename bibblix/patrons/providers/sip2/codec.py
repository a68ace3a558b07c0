"""Building and parsing SIP2 messages (3M Standard Interchange Protocol v2.00).

A message is a two-digit command identifier, fixed-length fields, variable fields written as a
two-letter code, the value and "|", and with error detection on, "AY<seq>AZ<checksum>" at the
end, then a carriage return. No Django imports: this module is the protocol alone.
"""

import datetime
import re
from dataclasses import dataclass, field

TERMINATOR = b"\r"

# Fixed-field lengths of the replies we read, after the two-digit command identifier
# (SIP2 v2.00 specification, the "Response" sections of each message).
FIXED_FIELDS: dict[str, list[tuple[str, int]]] = {
    "94": [("ok", 1)],
    "98": [
        ("online_status", 1),
        ("checkin_ok", 1),
        ("checkout_ok", 1),
        ("renewal_policy", 1),
        ("status_update_ok", 1),
        ("offline_ok", 1),
        ("timeout_period", 3),
        ("retries_allowed", 3),
        ("date_time_sync", 18),
        ("protocol_version", 4),
    ],
    "24": [("patron_status", 14), ("language", 3), ("transaction_date", 18)],
    "64": [
        ("patron_status", 14),
        ("language", 3),
        ("transaction_date", 18),
        ("hold_items_count", 4),
        ("overdue_items_count", 4),
        ("charged_items_count", 4),
        ("fine_items_count", 4),
        ("recall_items_count", 4),
        ("unavailable_holds_count", 4),
    ],
    "96": [],
    # Requests, for the test server and recorded traffic.
    "93": [("uid_algorithm", 1), ("pwd_algorithm", 1)],
    "99": [("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)],
    "63": [("language", 3), ("transaction_date", 18), ("summary", 10)],
    "23": [("language", 3), ("transaction_date", 18)],
}

# The 14 positions of the "patron status" fixed field (SIP2 v2.00, patron status response).
PATRON_STATUS_FLAGS = (
    "charge privileges denied",
    "renewal privileges denied",
    "recall privileges denied",
    "hold privileges denied",
    "card reported lost",
    "too many items charged",
    "too many items overdue",
    "too many renewals",
    "too many claims of items returned",
    "too many items lost",
    "excessive outstanding fines",
    "excessive outstanding fees",
    "recall overdue",
    "too many items billed",
)

_FIELD_CODE = re.compile(r"^[A-Z][A-Z]$")


class ProtocolError(Exception):
    """The reply is not a well-formed SIP2 message of the kind we asked for."""


class ChecksumError(ProtocolError):
    """The reply's AZ checksum does not match its content."""


class FieldError(ValueError):
    """A value we were asked to send cannot be a SIP2 field: it is refused, never cleaned."""


@dataclass
class Message:
    """A parsed SIP2 message: command identifier, fixed fields and variable fields."""

    command: str
    fixed: dict[str, str] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    sequence: int | None = None
    checksum: str | None = None

    def get(self, code: str, default: str | None = None) -> str | None:
        """The first value of a variable field, or `default` when it is absent."""
        values = self.fields.get(code)
        return values[0] if values else default

    def flags(self) -> set[str]:
        """The names of the patron status flags that are set ("Y") in the reply."""
        status = self.fixed.get("patron_status", "")
        return {
            name for name, value in zip(PATRON_STATUS_FLAGS, status, strict=False) if value == "Y"
        }


def checksum(data: bytes) -> str:
    """The AZ checksum of everything before it (including "AZ"): the two's complement of the
    16-bit sum of the bytes as sent, as four upper-case hex digits (SIP2 v2.00, appendix)."""
    return f"{(-sum(data)) & 0xFFFF:04X}"


def sip_datetime(moment: datetime.datetime) -> str:
    """A SIP2 date: YYYYMMDDZZZZHHMMSS, with four spaces for local time."""
    return moment.strftime("%Y%m%d") + "    " + moment.strftime("%H%M%S")


# "|" ends a field and CR ends a message; LF and NUL end it for some library systems. Stripping
# them would send a different value than the one given (a PIN "12|34" checked as "1234"), so a
# value carrying any of them is refused.
_FORBIDDEN = re.compile(r"[|\r\n\x00]")


def _check(code: str, value: str) -> str:
    if _FORBIDDEN.search(value):
        raise FieldError(f"field {code} carries a SIP2 delimiter or NUL")
    return value


def build(
    command: str,
    fixed: str = "",
    fields: list[tuple[str, str]] | None = None,
    *,
    sequence: int | None = None,
    encoding: str = "utf-8",
) -> bytes:
    """Build a message; with `sequence` set, add AY and the AZ checksum (error detection)."""
    text = command + fixed
    for code, value in fields or []:
        text += f"{code}{_check(code, value)}|"
    try:
        body = text.encode(encoding)
    except UnicodeEncodeError as error:
        raise FieldError(f"a field cannot be written in {encoding}") from error
    if sequence is not None:
        body += f"AY{sequence % 10}AZ".encode("ascii")
        body += checksum(body).encode("ascii")
    return body + TERMINATOR


def verify_checksum(raw: bytes) -> None:
    """Raise ChecksumError when the message carries an AZ checksum that does not match."""
    data = raw.rstrip(b"\r\n")
    position = data.rfind(b"AZ")
    if position == -1 or len(data) - position != 6:
        return
    expected = checksum(data[: position + 2])
    if data[position + 2 :].decode("ascii", errors="replace").upper() != expected:
        raise ChecksumError("checksum mismatch")


def parse(
    raw: bytes,
    *,
    expect: str | None = None,
    check: bool = True,
    encoding: str = "utf-8",
) -> Message:
    """Parse one message; raise ProtocolError when it is garbled or not the expected reply."""
    if check:
        verify_checksum(raw)
    text = raw.rstrip(b"\r\n").decode(encoding, errors="replace")
    command = text[:2]
    if not command.isdigit() or len(command) != 2:
        raise ProtocolError("no command identifier")
    if expect is not None and command != expect and command != "96":
        raise ProtocolError(f"expected {expect}, got {command}")
    message = Message(command=command)
    position = 2
    for name, length in FIXED_FIELDS.get(command, []):
        value = text[position : position + length]
        if len(value) != length:
            raise ProtocolError(f"fixed field {name} is too short")
        message.fixed[name] = value
        position += length
    _parse_variable(text[position:], message)
    return message


def _parse_variable(text: str, message: Message) -> None:
    # AY and AZ close the message and have no "|" after them (SIP2 v2.00, error detection).
    trailer = re.search(r"AY(\d)AZ([0-9A-Fa-f]{4})$", text)
    if trailer:
        message.sequence = int(trailer.group(1))
        message.checksum = trailer.group(2).upper()
        text = text[: trailer.start()]
    for part in text.split("|"):
        if not part:
            continue
        code = part[:2]
        if not _FIELD_CODE.match(code):
            raise ProtocolError("malformed variable field")
        message.fields.setdefault(code, []).append(part[2:])
