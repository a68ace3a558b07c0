"""A logging filter that keeps personal data out of every log line."""

import logging
import re

# Library card numbers are long digit runs (often 10-14 digits); PINs appear as key=value pairs.
_CARD = re.compile(r"(?<![\d.])\d{6,}(?![\d.])")
_SECRET_PAIR = re.compile(
    r"(?i)\b(pin|password|card|cardnumber|card_number|ssn)\b(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|\S+)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def redact(text: str) -> str:
    """Mask card numbers, PIN/password values and e-mail addresses in a log message."""
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    text = _EMAIL.sub("[e-mail]", text)
    return _CARD.sub("[number]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        record.msg = redact(message)
        record.args = None
        return True
