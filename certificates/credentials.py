"""Machine-readable certificates: Open Badges 3.0 credentials secured as VC-JOSE (``vc+jwt``).

A credential is a W3C Verifiable Credential (data model 2.0) of type OpenBadgeCredential, signed
with the issuer's Ed25519 key as a compact JWS. JOSE signs the bytes of the credential, so no
JSON-LD processing (and no context fetched from the network) is needed to check it; anyone can
verify it offline from the issuer's did:key. Revocation is published as a W3C Bitstring Status
List credential, signed the same way (checking it, unlike the signature, needs us online).
"""

import gzip
import json

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from certificates.keys import b64url, issuer_did, key_id, signing_key
from certificates.models import Certificate, CertificateState

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_LIST_CONTEXTS = ["https://www.w3.org/ns/credentials/v2"]
# The spec's minimum list size (16 KB), so a list says little about how many certificates exist.
MIN_STATUS_BITS = 131_072
STATUS_CACHE_KEY = "certificate-status-list"
STATUS_CACHE_SECONDS = 60


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_profile() -> dict:
    return {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": settings.CERTIFICATE_ISSUER["NAME"],
        "url": site_url("/"),
    }


def build_credential(certificate: Certificate) -> dict:
    verify_url = site_url(reverse("certificates:verify", args=[certificate.token]))
    status_url = site_url(reverse("certificates:status_list"))
    achievement = {
        "id": site_url(reverse("certificates:achievement", args=[certificate.course_id or 0])),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.course_title,
        "description": f"Hoàn thành khoá học “{certificate.course_title}” trên nền tảng Bình dân học vụ số.",
        "criteria": {
            "narrative": "Học xong mọi bài bắt buộc của khoá học và làm đạt bài kiểm tra cuối khoá (nếu có)."
        },
    }
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.learner_name,
            }
        ],
        "achievement": achievement,
    }
    if certificate.score is not None:
        subject["result"] = [{"type": ["Result"], "value": f"{certificate.score:g}%"}]
    return {
        "@context": CONTEXTS,
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(),
        "validFrom": certificate.issued_at.isoformat(timespec="seconds"),
        "name": f"Chứng nhận hoàn thành: {certificate.course_title}",
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_url,
        },
    }


def sign(payload: dict) -> str:
    """A compact JWS over the JSON payload (RFC 7515), signed with the issuer's Ed25519 key."""
    # "Ed25519" is the fully specified JOSE name for EdDSA over Ed25519 (RFC 9864).
    header = {"alg": "Ed25519", "typ": "vc+jwt", "cty": "vc", "kid": key_id()}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    )
    signature = signing_key().sign(signing_input.encode("ascii"))
    return signing_input + "." + b64url(signature)


def signed_credential(certificate: Certificate) -> str:
    return sign(build_credential(certificate))


def encoded_status_list(revoked_indexes: list[int]) -> str:
    """The bitstring, most significant bit first, GZIP-compressed, multibase base64url ("u")."""
    size = max(MIN_STATUS_BITS, ((max(revoked_indexes, default=0) // MIN_STATUS_BITS) + 1) * MIN_STATUS_BITS)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_credential() -> str:
    """The signed revocation list, cached briefly; a revocation clears the cache."""
    cached = cache.get(STATUS_CACHE_KEY)
    if cached:
        return cached
    status_url = site_url(reverse("certificates:status_list"))
    revoked = list(
        Certificate.objects.exclude(state=CertificateState.CURRENT)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    token = sign(
        {
            "@context": STATUS_LIST_CONTEXTS,
            "id": status_url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_profile(),
            "credentialSubject": {
                "id": f"{status_url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encoded_status_list(revoked),
            },
        }
    )
    cache.set(STATUS_CACHE_KEY, token, STATUS_CACHE_SECONDS)
    return token


def forget_status_list() -> None:
    cache.delete(STATUS_CACHE_KEY)
