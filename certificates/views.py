"""Certificates for their owner (list, download, share) and for anyone (verify, look up, credential)."""

import hashlib
import re
import secrets
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certificates.codes import normalise_short_code
from certificates.credentials import (
    build_credential,
    issuer_profile,
    signed_credential,
    site_url,
    status_list_credential,
)
from certificates.keys import public_jwk
from certificates.models import Certificate
from certificates.pdf import render_pdf
from courses.models import CoursePage
from courses.queries import the_one
from learning.prepared import PreparedRead

CLIENT_COOKIE = "tra_cuu"
JWT_TYPE = "application/vc+jwt"


def verify_url(certificate: Certificate) -> str:
    return site_url(reverse("certificates:verify", args=[certificate.token]))


TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


_by_token = PreparedRead(
    lambda token: Certificate.objects.filter(token=token).select_related("superseded_by")[:1], token=str
)


def by_token(token: str) -> Certificate | None:
    """The certificate a token names; anything that cannot be a token never reaches the database."""
    if not TOKEN.fullmatch(token):
        return None
    return _by_token.first(token=token)


def not_found(request: HttpRequest) -> HttpResponse:
    """The same plain answer for every code that does not lead to a certificate."""
    return TemplateResponse(request, "certificates/not_found.html", status=404)


# --- the learner's own -----------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(learner=request.user).order_by("-issued_at")
    return TemplateResponse(request, "certificates/mine.html", {"certificates": certificates})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate, pk=pk, learner=request.user)
    return TemplateResponse(
        request,
        "certificates/detail.html",
        {"certificate": certificate, "verify_url": verify_url(certificate)},
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate, pk=pk, learner=request.user)
    response = HttpResponse(render_pdf(certificate, verify_url(certificate)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{certificate.short_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- for anyone -----------------------------------------------------------------------------


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    certificate = by_token(token)
    if certificate is None:
        return not_found(request)
    response = TemplateResponse(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "credential_url": reverse("certificates:credential", args=[token])},
    )
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    """The certificate's current status as JSON, for programs that do not read the status list."""
    certificate = by_token(token)
    if certificate is None:
        return JsonResponse({"error": "not_found"}, status=404)
    response = JsonResponse(
        {
            "valid": certificate.is_valid,
            "state": certificate.state,
            "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            "reason": certificate.revoked_reason or None,
            "replaced_by": verify_url(certificate.superseded_by) if certificate.superseded_by_id else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def credential(request: HttpRequest, token: str) -> HttpResponse:
    certificate = by_token(token)
    if certificate is None:
        return not_found(request)
    if request.GET.get("dang") == "json":  # the same credential, unsigned, for people to read
        return JsonResponse(
            build_credential(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    response = HttpResponse(signed_credential(certificate), content_type=JWT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{certificate.short_code}.jwt"'
    return response


@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status_list_credential(), content_type=JWT_TYPE)
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def issuer_keys(request: HttpRequest) -> JsonResponse:
    """The issuer's public key at a stable URL (the same key its did:key names)."""
    response = JsonResponse({"issuer": issuer_profile(), "keys": [public_jwk()]})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def achievement(request: HttpRequest, course_id: int) -> HttpResponse:
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return redirect(course.url)


# --- looking up a short code ----------------------------------------------------------------


def _window_key(kind: str, who: str) -> str:
    window = settings.CERTIFICATE_LOOKUP_LIMITS["WINDOW_SECONDS"]
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"cert-lookup:{kind}:{digest}:{int(time.time()) // window}"


def _count(key: str) -> int:
    cache.add(key, 0, timeout=settings.CERTIFICATE_LOOKUP_LIMITS["WINDOW_SECONDS"])
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.CERTIFICATE_LOOKUP_LIMITS["WINDOW_SECONDS"])
        return 1


def lookup_allowed(client: str, address: str) -> bool:
    """Each lookup counts for the browser (a cookie) and, with a far higher ceiling, for its
    address: a commune hall sharing one connection is not blocked, a guesser is."""
    limits = settings.CERTIFICATE_LOOKUP_LIMITS
    per_client = _count(_window_key("client", client))
    per_address = _count(_window_key("address", address))
    return per_client <= limits["PER_CLIENT"] and per_address <= limits["PER_ADDRESS"]


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    client = request.get_signed_cookie(CLIENT_COOKIE, default="", salt="tra-cuu") or secrets.token_urlsafe(16)
    context: dict = {"typed": ""}
    status = 200
    typed = request.GET.get("ma", "")
    if typed:
        context["typed"] = typed[:40]
        address = request.META.get("REMOTE_ADDR", "")
        if not lookup_allowed(client, address):
            context["error"] = _("Bạn đã tra cứu quá nhiều lần. Hãy đợi khoảng 10 phút rồi thử lại.")
            status = 429
        else:
            code = normalise_short_code(typed)
            certificate = the_one(Certificate.objects.filter(short_code=code)) if code else None
            if certificate is not None:
                response = redirect("certificates:verify", token=certificate.token)
                response.set_signed_cookie(
                    CLIENT_COOKIE, client, salt="tra-cuu", httponly=True, samesite="Lax"
                )
                return response
            context["error"] = _("Không tìm thấy chứng nhận có mã này. Hãy kiểm tra lại mã in dưới mã QR.")
            status = 404
    response = TemplateResponse(request, "certificates/lookup.html", context, status=status)
    response.set_signed_cookie(CLIENT_COOKIE, client, salt="tra-cuu", httponly=True, samesite="Lax")
    response["X-Robots-Tag"] = "noindex"
    return response
