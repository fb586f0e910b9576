"""The signed credential, checked by an independent implementation (joserfc) with the network
blocked: the key comes from the issuer's did:key alone, and any change to any field fails."""

import base64
import copy
import gzip
import json
import socket
import warnings

import base58
import pytest
from django.urls import reverse
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from certificates.issuing import revoke_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Verification must need nothing from the network: any connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access during verification")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_from_did(did: str) -> OKPKey:
    """Resolve a did:key for Ed25519 by hand, from the spec (multibase base58btc, 0xed01)."""
    assert did.startswith("did:key:z")
    raw = base58.b58decode(did.removeprefix("did:key:z"))
    assert raw[:2] == b"\xed\x01" and len(raw) == 34
    return OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": b64url(raw[2:])})


def verify(token: str) -> dict:
    header = json.loads(unb64url(token.split(".")[0]))
    key = key_from_did(header["kid"].split("#")[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = jws.deserialize_compact(token, key, algorithms=["Ed25519"])
    payload = json.loads(result.payload)
    assert payload["issuer"]["id"] == header["kid"].split("#")[0]
    return payload


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if value is None:
        return "x"
    return value + "x" if value else "x"


def credential_of(client, certificate) -> str:
    response = client.get(reverse("certificates:credential", args=[certificate.token]))
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def test_the_credential_is_an_open_badge_that_verifies_offline(client, certificate):
    payload = verify(credential_of(client, certificate))
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    subject = payload["credentialSubject"]
    assert subject["achievement"]["name"] == certificate.course_title
    assert subject["identifier"][0]["identityHash"] == "Trần Văn Bình"
    assert payload["id"].endswith(f"/chung-nhan/{certificate.token}/")
    assert payload["credentialStatus"]["statusListIndex"] == str(certificate.pk)


def test_changing_any_single_field_breaks_the_signature(client, certificate):
    token = credential_of(client, certificate)
    header_b64, payload_b64, signature = token.split(".")
    payload = json.loads(unb64url(payload_b64))
    header = json.loads(unb64url(header_b64))
    paths = list(leaves(payload))
    assert len(paths) > 25
    for path in paths:
        changed = copy.deepcopy(payload)
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = tampered(target[path[-1]])
        forged = f"{header_b64}.{b64url(json.dumps(changed, ensure_ascii=False).encode())}.{signature}"
        with pytest.raises(JoseError):
            verify(forged)
    for field in header:
        if field in ("alg", "kid"):
            continue  # changing these changes which check runs, covered below
        changed = {**header, field: tampered(header[field])}
        with pytest.raises(JoseError):
            verify(f"{b64url(json.dumps(changed).encode())}.{payload_b64}.{signature}")
    other_key = "did:key:z" + base58.b58encode(b"\xed\x01" + bytes(32)).decode()
    with pytest.raises((JoseError, ValueError)):
        verify(
            f"{b64url(json.dumps({**header, 'kid': other_key + '#x'}).encode())}.{payload_b64}.{signature}"
        )


def status_bit(client, index: int) -> int:
    token = client.get(reverse("certificates:status_list")).content.decode()
    payload = verify(token)
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = payload["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(unb64url(encoded[1:]))
    assert len(bits) * 8 >= 131_072
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_revocation_shows_in_the_status_list_the_credential_points_to(client, certificate, official):
    payload = verify(credential_of(client, certificate))
    assert payload["credentialStatus"]["statusListCredential"].endswith(reverse("certificates:status_list"))
    assert status_bit(client, certificate.status_index) == 0
    assert client.get(reverse("certificates:status", args=[certificate.token])).json()["valid"] is True
    revoke_certificate(certificate, reason="Cấp nhầm", by=official)
    assert status_bit(client, certificate.status_index) == 1
    page = client.get(reverse("certificates:verify", args=[certificate.token])).content.decode()
    assert "đã bị thu hồi" in page
    status = client.get(reverse("certificates:status", args=[certificate.token])).json()
    assert status["valid"] is False and status["state"] == "revoked" and status["reason"] == "Cấp nhầm"


def test_the_published_key_is_the_did_key(client, certificate):
    published = client.get(reverse("certificates:issuer_keys")).json()
    did = published["issuer"]["id"]
    assert published["keys"][0]["x"] == key_from_did(did).as_dict()["x"]
    assert verify(credential_of(client, certificate))["issuer"]["id"] == did


def test_an_unknown_credential_reveals_nothing(client, certificate):
    response = client.get(f"/chung-nhan/{'y' * 43}/chung-chi-so.jwt")
    assert response.status_code == 404 and b"eyJ" not in response.content
