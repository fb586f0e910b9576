import pytest

from learning.accounts.phones import looks_like_phone, normalize_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(+84) 386-123-456", "0386123456"),
        ("0243 825 3456", "02438253456"),  # a Hà Nội landline
    ],
)
def test_common_ways_of_typing_a_vietnamese_number(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "091234567",
        "09123456789",
        "0123456789",
        "0112345678",
        "+1 202 555 0100",
        "0912abc678",
        "một hai ba",
    ],
)
def test_what_is_not_a_vietnamese_number(typed):
    assert normalize_phone(typed) is None


def test_usernames_do_not_look_like_phones():
    assert looks_like_phone("+84 912 345 678")
    assert not looks_like_phone("hoa.le")
    assert not looks_like_phone("hoa2025")
