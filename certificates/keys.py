"""The issuer's Ed25519 key: loaded from settings, named as a did:key, published as a JWK."""

import base64
import functools
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB_MULTICODEC = b"\xed\x01"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _BASE58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _seed() -> bytes:
    value = settings.CERTIFICATE_SIGNING_KEY
    if not value and settings.CERTIFICATE_SIGNING_KEY_FILE:
        path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
        if not path.exists():  # the embedded default makes its own, once
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(b64url(Ed25519PrivateKey.generate().private_bytes_raw()))
            path.chmod(0o600)
        value = path.read_text().strip()
    try:
        seed = b64url_decode(value)
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY must be a base64url Ed25519 seed of 32 bytes.")
    return seed


@functools.cache
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_seed())


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_bytes() -> bytes:
    return public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def issuer_did() -> str:
    """did:key for the public key: anyone can check a signature offline from this name alone."""
    return "did:key:z" + base58btc(ED25519_PUB_MULTICODEC + public_bytes())


def key_id() -> str:
    return f"{issuer_did()}#{issuer_did().removeprefix('did:key:')}"


def public_jwk() -> dict:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(public_bytes()),
        "kid": key_id(),
        "use": "sig",
        "alg": "Ed25519",
    }
