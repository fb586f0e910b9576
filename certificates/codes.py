"""The two ways to find a certificate: an unguessable URL token and a short code people can type.

- The token (in the QR code and links) carries 256 bits from the operating system's
  cryptographic generator.
- The short code is 9 random characters and a check character from Crockford's base-32
  alphabet (no I, L, O, U: nothing to confuse with 1, 0 or V), shown as ``XXXXX-XXXXX``. The check
  character (Luhn mod 32) catches every single mistyped character and most swapped neighbours
  before the database is even asked; lookups are rate-limited, so 45 random bits are plenty.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 9
# What people type for the letters left out of the alphabet.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check_character(data: str) -> str:
    """Luhn mod N over the alphabet (N = 32)."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(data):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_short_code() -> str:
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return data + check_character(data)


def normalise_short_code(typed: str) -> str | None:
    """The canonical code for what a person typed (any case, spaces or dashes), or None if it
    cannot be a code (wrong length, characters, or check character)."""
    code = re.sub(r"[\s\-_.]", "", typed or "").upper().translate(_LOOKALIKES)
    if len(code) != DATA_LENGTH + 1 or any(char not in ALPHABET for char in code):
        return None
    if check_character(code[:-1]) != code[-1]:
        return None
    return code


def display_short_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
