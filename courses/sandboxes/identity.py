"""Synthetic identity numbers (DESIGN §4b) and the checks that keep real ones out.

A personal ID number has 12 digits: a 3-digit province code, a century-and-sex digit, the last
two digits of the birth year, then 6 random digits. No province has the code 099, so every
sandbox persona's number starts with it; sandbox forms accept only such numbers and refuse
anything that could be a real person's, without storing or logging it.
"""

import random
import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RESERVED_PREFIX = "099"
REAL_ID_REFUSED = gettext_lazy(
    "Ô này có một dãy 12 số giống số định danh thật. Đây là môi trường thực hành: "
    "đừng nhập số thật của ai; thông tin này không được lưu lại."
)
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def century_sex_digit(birth: date, sex: str) -> str:
    """0/1 for men/women born 1900 to 1999, 2/3 for 2000 to 2099, and so on."""
    base = 2 * ((birth.year - 1900) // 100)
    return str(base + (1 if sex == "nu" else 0))


def make_id_number(birth: date, sex: str, rng: random.Random) -> str:
    return (
        RESERVED_PREFIX
        + century_sex_digit(birth, sex)
        + f"{birth.year % 100:02d}"
        + f"{rng.randrange(10**6):06d}"
    )


def is_reserved(number: str) -> bool:
    return len(number) == 12 and number.isdigit() and number.startswith(RESERVED_PREFIX)


def digits_only(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text or "")


def contains_real_looking_id(text: str) -> bool:
    """Twelve digits in a row that do not carry the reserved prefix: possibly a real person's."""
    return any(not match.startswith(RESERVED_PREFIX) for match in TWELVE_DIGITS.findall(digits_only(text)))


def id_number_problem(typed: str, expected: str) -> str | None:
    """Why a typed ID number is refused (a friendly sentence), or None when it is the persona's."""
    value = digits_only(typed)
    if not value:
        return _("Hãy nhập số định danh cá nhân in trên thẻ nhân vật.")
    if not value.isdigit() or len(value) != 12:
        return _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if not value.startswith(RESERVED_PREFIX):
        return _(
            "Đây là môi trường thực hành: chỉ dùng số định danh giả lập in trên thẻ nhân vật (bắt đầu bằng 099). "
            "Đừng bao giờ nhập số định danh thật của bạn hay của người khác ở đây."
        )
    if value != expected:
        return _("Số này không khớp với thẻ nhân vật. Hãy nhìn lại thẻ và gõ từng số một.")
    return None


def without_real_looking_ids(value):
    """``value`` (plain data) with every string that holds a real-looking ID number blanked out:
    the last guard before anything a learner typed is stored."""
    if isinstance(value, str):
        return "" if contains_real_looking_id(value) else value
    if isinstance(value, dict):
        return {key: without_real_looking_ids(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_real_looking_ids(item) for item in value]
    return value
