"""Officials' live count of learners online: suppressed like every report, scoped by province."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from learning import presence
from learning.models import ReportScope
from learning.roles import MANAGERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def online(settings):
    """Nine learners online in Hà Nội (1), two in TP Hồ Chí Minh (79)."""
    settings.REDIS_URL = ""
    presence.REGISTRY.__init__()
    for n in range(9):
        presence.REGISTRY.add(f"hn{n}", presence.Socket(1000 + n, None, 1))
    for n in range(2):
        presence.REGISTRY.add(f"hcm{n}", presence.Socket(2000 + n, None, 79))
    yield
    presence.REGISTRY.__init__()


def manager(province: int | None = None) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(phone=None)
    user.groups.add(Group.objects.get(name=MANAGERS))
    if province is not None:
        ReportScope.objects.create(user=user, province_id=province)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_small_counts_are_hidden_and_cannot_be_recovered_from_the_total():
    data = manager().get(reverse("reports_live_json")).json()
    provinces = dict(data["provinces"])
    assert provinces["Thành phố Hồ Chí Minh"] == "< 5"
    # Published numbers must not let anyone subtract their way to the hidden "< 5".
    shown = [text for text in [data["total"], *provinces.values()] if text.isdigit()]
    assert not (data["total"].isdigit() and provinces["Thành phố Hà Nội"].isdigit()), data
    assert "2" not in shown
    page = manager().get(reverse("reports_live")).content.decode()
    assert "&lt; 5" in page and "live-counts.js" in page


def test_small_course_counts_are_hidden_and_cannot_be_recovered_from_the_total():
    from tests.courses.builders import build_course

    big, small = build_course(modules=1, lessons_per_module=1), build_course(modules=1, lessons_per_module=1)
    presence.REGISTRY.__init__()
    for n in range(9):  # everyone online is on a course page: the courses add up to the total
        presence.REGISTRY.add(f"a{n}", presence.Socket(1000 + n, big.pk, 1))
    for n in range(2):
        presence.REGISTRY.add(f"b{n}", presence.Socket(2000 + n, small.pk, 79))

    data = manager().get(reverse("reports_live_json")).json()

    courses = dict(data["courses"])
    assert courses[small.title] == "< 5"
    assert not (data["total"].isdigit() and courses[big.title].isdigit()), data  # 11 − 9 would be 2
    assert "2" not in [data["total"], *courses.values()]


def test_a_province_scoped_manager_sees_only_their_province():
    data = manager(province=1).get(reverse("reports_live_json")).json()
    assert data["provinces"] == [["Thành phố Hà Nội", "9"]] and data["total"] == "9"
    assert data["courses"] == []
    small = manager(province=79).get(reverse("reports_live_json")).json()
    assert small["total"] == "< 5"


def test_learners_and_visitors_are_refused(learner_client):
    assert learner_client.get(reverse("reports_live_json")).status_code in {302, 403}
    anonymous = Client().get(reverse("reports_live_json"))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
