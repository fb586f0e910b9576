"""Vietnamese phone numbers: parse what people type, store ten digits starting with 0."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ACCEPTED_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}

_SEPARATORS = set(" .-()+")

INVALID_PHONE_MESSAGE = _(
    "Số điện thoại chưa đúng. Hãy nhập 10 chữ số bắt đầu bằng số 0, ví dụ 0912 345 678."
)


def normalize_phone(raw: str) -> str | None:
    """Return the national form (``0912345678``) of a Vietnamese number, or None if invalid.

    Accepts spaces, dots, dashes and the +84 / 84 prefixes that people commonly type.
    """
    if any(not (ch.isdigit() or ch in _SEPARATORS) for ch in raw):
        return None
    cleaned = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if not cleaned:
        return None
    try:
        number = phonenumbers.parse(cleaned, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _ACCEPTED_TYPES:
        return None
    return "0" + str(number.national_number)


def clean_phone(raw: str) -> str:
    """Normalise a phone number or raise a ValidationError with a Vietnamese message."""
    phone = normalize_phone(raw)
    if phone is None:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return phone


def looks_like_phone(raw: str) -> bool:
    """True when the text is made only of digits and the separators people type in numbers."""
    raw = raw.strip()
    return any(ch.isdigit() for ch in raw) and all(ch.isdigit() or ch in _SEPARATORS for ch in raw)
