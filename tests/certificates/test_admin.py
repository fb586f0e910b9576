"""Officials: search, filter, revoke, re-issue and export certificates in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from certificates.issuing import issue_certificate, reissue_certificate
from certificates.models import Certificate, CertificateState
from courses.editorial import EDITORS
from learning import progress
from learning.models import Profile, Province
from tests.courses.builders import lessons_of
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
INDEX = reverse("certificate_admin:index")


def test_officials_search_and_filter_certificates(official_client, certificate):
    page = official_client.get(INDEX, {"q": "Bình"}).content.decode()
    assert certificate.display_code in page
    assert certificate.display_code not in official_client.get(INDEX, {"q": "không có ai"}).content.decode()
    province = certificate.learner.profile.province
    other = Province.objects.exclude(pk=province.pk).first()
    assert certificate.display_code in official_client.get(INDEX, {"province": province.pk}).content.decode()
    assert certificate.display_code not in official_client.get(INDEX, {"province": other.pk}).content.decode()
    assert certificate.display_code not in official_client.get(INDEX, {"state": "revoked"}).content.decode()


def test_csv_export_follows_the_filters(official_client, certificate, completed_course):
    Profile.objects.filter(user=certificate.learner).update(full_name="=HYPERLINK(1)")
    certificate.learner.refresh_from_db()
    certificate = reissue_certificate(certificate, by=None)  # the name as it is now, formula-looking
    another = ProfileFactory(full_name="Lê Thị Hoa", commune=certificate.learner.profile.commune).user
    for lesson in lessons_of(completed_course):
        progress.complete_lesson(another, completed_course, lesson)
    issue_certificate(another, completed_course)
    Profile.objects.filter(user=another).update(
        province=Province.objects.exclude(pk=certificate.learner.profile.province_id).first()
    )
    response = official_client.get(
        INDEX, {"export": "csv", "province": certificate.learner.profile.province_id}
    )
    body = (
        b"".join(response.streaming_content).decode("utf-8")
        if response.streaming
        else response.content.decode()
    )
    lines = body.strip().splitlines()
    assert "Mã tra cứu" in lines[0] and "Tỉnh/thành" in lines[0]
    current = [line for line in lines[1:] if certificate.short_code in line]
    assert len(current) == 1 and "'=HYPERLINK(1)" in current[0] and "Lê Thị Hoa" not in body


def test_revoke_with_a_reason_through_the_admin(official_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.pk])
    assert "Lý do thu hồi" in official_client.get(url).content.decode()
    assert official_client.post(url, {"reason": ""}).status_code == 200
    certificate.refresh_from_db()
    assert certificate.is_valid
    response = official_client.post(url, {"reason": "Hồ sơ không trung thực"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (
        certificate.state == CertificateState.REVOKED
        and certificate.revoked_reason == "Hồ sơ không trung thực"
    )


def test_reissue_through_the_admin(official_client, certificate, learner):
    Profile.objects.filter(user=learner).update(full_name="Trần Văn Bính")
    url = reverse("certificate_reissue", args=[certificate.pk])
    assert "Trần Văn Bính" in official_client.get(url).content.decode()
    official_client.post(url)
    assert Certificate.objects.current().get(learner=learner).learner_name == "Trần Văn Bính"
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.SUPERSEDED


def test_editors_and_learners_cannot_revoke(certificate, learner_client):
    editor = UserFactory(username="bientap", phone=None, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    TOTPDevice.objects.create(user=editor, name="t", confirmed=True)
    client = Client()
    client.force_login(editor)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=editor).persistent_id
    session.save()
    for who in (client, learner_client):
        response = who.post(reverse("certificate_revoke", args=[certificate.pk]), {"reason": "x"})
        assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.is_valid
