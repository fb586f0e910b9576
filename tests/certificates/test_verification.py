"""Verification for anyone: the page from the QR code, the short-code form and its limits."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from certificates.codes import check_character
from certificates.issuing import reissue_certificate, revoke_certificate

pytestmark = pytest.mark.django_db
NOT_FOUND = "Không tìm thấy chứng nhận"


def test_a_valid_certificate_says_so_with_only_what_is_needed(client, certificate):
    page = client.get(reverse("certificates:verify", args=[certificate.token]))
    html = page.content.decode()
    assert page.status_code == 200 and "Chứng nhận hợp lệ" in html
    for fact in (
        "Trần Văn Bình",
        certificate.course_title,
        certificate.issuer_name,
        certificate.display_code,
    ):
        assert fact in html
    for private in (certificate.learner.phone, "1960", "Hoàn Kiếm"):
        assert private not in html
    assert page["X-Robots-Tag"] == "noindex"


def test_a_revoked_certificate_says_when_and_why(client, certificate, official):
    revoke_certificate(certificate, reason="Gian lận khi làm bài", by=official)
    html = client.get(reverse("certificates:verify", args=[certificate.token])).content.decode()
    assert "đã bị thu hồi" in html and "Gian lận khi làm bài" in html and "Chứng nhận hợp lệ" not in html


def test_a_superseded_certificate_points_to_its_replacement(client, certificate, official):
    new = reissue_certificate(certificate, by=official)
    html = client.get(reverse("certificates:verify", args=[certificate.token])).content.decode()
    assert "đã được thay thế" in html and reverse("certificates:verify", args=[new.token]) in html


@pytest.mark.parametrize("token", ["x" * 43, "abc", "%00", "a" * 500, "' OR 1=1 --"])
def test_unknown_or_malformed_tokens_get_the_same_plain_page(client, certificate, token):
    response = client.get(f"/chung-nhan/{token}/")
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()
    assert certificate.learner_name not in response.content.decode()
    for suffix in ("chung-chi-so.jwt", "trang-thai.json"):
        assert client.get(f"/chung-nhan/{token}/{suffix}").status_code == 404


def test_the_short_code_leads_to_the_certificate_however_it_is_typed(client, certificate):
    for typed in (certificate.short_code, certificate.display_code.lower(), f" {certificate.display_code} "):
        response = client.get(reverse("certificates:lookup"), {"ma": typed})
        assert response.status_code == 302
        assert response["Location"] == reverse("certificates:verify", args=[certificate.token])


def test_wrong_codes_get_a_plain_not_found(client, certificate):
    data = "ZZZZZZZZZ"
    for typed in (data + check_character(data), "ABC", certificate.short_code[:-1] + "!", "x" * 200):
        response = client.get(reverse("certificates:lookup"), {"ma": typed})
        html = response.content.decode()
        assert response.status_code == 404 and "Không tìm thấy chứng nhận có mã này" in html
        assert certificate.learner_name not in html


@override_settings(CERTIFICATE_LOOKUP_LIMITS={"PER_CLIENT": 5, "PER_ADDRESS": 12, "WINDOW_SECONDS": 600})
def test_lookups_are_limited_per_browser_with_a_higher_ceiling_per_address(certificate):
    guesser = Client()
    answers = [
        guesser.get(reverse("certificates:lookup"), {"ma": "AAAAAAAAAA"}).status_code for _ in range(7)
    ]
    assert answers[:5] == [404] * 5 and answers[5:] == [429, 429]
    # Even the right code is refused to that browser now, and nothing is revealed.
    blocked = guesser.get(reverse("certificates:lookup"), {"ma": certificate.short_code})
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    # Others in the same commune hall (same address) still look up theirs...
    neighbour = Client()
    assert neighbour.get(reverse("certificates:lookup"), {"ma": certificate.short_code}).status_code == 302
    # ...until the address as a whole passes its far higher ceiling.
    for _ in range(5):
        Client().get(reverse("certificates:lookup"), {"ma": "AAAAAAAAAA"})
    assert Client().get(reverse("certificates:lookup"), {"ma": certificate.short_code}).status_code == 429


def test_the_learner_lists_downloads_and_shares_only_their_own(learner_client, certificate):
    listing = learner_client.get(reverse("certificates:mine")).content.decode()
    assert certificate.course_title in listing and "Tải về (PDF)" in listing
    detail = learner_client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert f"/chung-nhan/{certificate.token}/" in detail
    pdf = learner_client.get(reverse("certificates:download", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    dashboard = learner_client.get(reverse("learning:dashboard")).content.decode()
    assert certificate.course_title in dashboard

    from tests.factories import ProfileFactory

    stranger = Client()
    stranger.force_login(ProfileFactory().user)
    for name in ("certificates:detail", "certificates:download"):
        assert stranger.get(reverse(name, args=[certificate.pk])).status_code == 404
    assert certificate.course_title not in stranger.get(reverse("certificates:mine")).content.decode()
