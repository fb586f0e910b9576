"""Tokens and short codes: unguessable, typeable, self-checking."""

from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import (
    ALPHABET,
    DATA_LENGTH,
    check_character,
    display_short_code,
    new_short_code,
    new_token,
    normalise_short_code,
)

codes = st.text(alphabet=ALPHABET, min_size=DATA_LENGTH, max_size=DATA_LENGTH).map(
    lambda d: d + check_character(d)
)


def test_tokens_carry_256_bits_and_never_repeat():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(token) == 43 for token in tokens)  # 32 bytes, base64url


def test_short_codes_are_ten_unambiguous_characters_and_check_themselves():
    code = new_short_code()
    assert len(code) == 10 and not set(code) & set("ILOU")
    assert normalise_short_code(code) == code
    assert display_short_code(code) == f"{code[:5]}-{code[5:]}"


@given(codes)
def test_what_people_type_is_understood(code):
    typed = f" {code[:5].lower()} - {code[5:]} ".replace("0", "O").replace("1", "l")
    assert normalise_short_code(typed) == code


@given(codes, st.integers(0, DATA_LENGTH), st.sampled_from(ALPHABET))
def test_every_single_mistyped_character_is_caught(code, position, replacement):
    if code[position] != replacement:
        typo = code[:position] + replacement + code[position + 1 :]
        assert normalise_short_code(typo) is None


@given(st.text(max_size=30))
def test_anything_else_is_not_a_code_or_a_valid_one(text):
    result = normalise_short_code(text)
    assert result is None or (len(result) == 10 and check_character(result[:-1]) == result[-1])
