"""Text people type, as it is stored, printed and compared."""

import unicodedata


def one_line(value: str) -> str:
    """Text typed on one line (a name, a place), as it will be stored, printed and compared.

    Composed Unicode (NFC): some Vietnamese keyboards send "ệ" as e + two combining marks, which
    looks the same but matches, sorts and prints differently. Invisible characters are dropped:
    controls, and formatting such as zero-width spaces (pasted from chat apps) and bidirectional
    overrides, which could make a name on a certificate read differently from what is stored.
    Runs of spaces become one.
    """
    composed = unicodedata.normalize("NFC", value)
    visible = "".join(
        ch for ch in composed if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs"}
    )
    return " ".join(visible.split())
