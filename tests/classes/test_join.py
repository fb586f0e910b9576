"""Opening a class and joining it: typed code, the poster's QR link, refusals, idempotence."""

import pytest
from django.urls import reverse

from learning import classes
from learning.models import ClassMembership, LearningClass
from tests.classes.conftest import open_class_for
from tests.factories import any_commune

pytestmark = pytest.mark.django_db

JOIN = reverse("classes:join")


def html(response) -> str:
    return response.content.decode()


def qr_url(learning_class) -> str:
    return reverse("classes:join_code", args=[learning_class.join_code])


# --- codes -----------------------------------------------------------------------------------


def test_join_codes_are_short_crockford_base32_and_unique(facilitator):
    opened = [open_class_for(facilitator, name=f"Lớp {n}") for n in range(20)]
    codes = [learning_class.join_code for learning_class in opened]
    assert len(set(codes)) == 20
    for code in codes:
        assert len(code) == classes.JOIN_CODE_LENGTH
        assert set(code) <= set(classes.JOIN_CODE_ALPHABET)
        assert not set(code) & set("ILOU")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("7kq-m2p", "7KQM2P"), (" 7KQ M2P ", "7KQM2P"), ("OIL234", "011234"), ("abc.def", "ABCDEF")],
)
def test_typed_codes_are_read_forgivingly(typed, stored):
    assert classes.normalize_join_code(typed) == stored


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG", "UUUUUU", "ABC#12"])
def test_malformed_codes_are_not_read(typed):
    assert classes.normalize_join_code(typed) is None


def test_a_taken_code_is_drawn_again(facilitator, monkeypatch):
    first = open_class_for(facilitator, name="Lớp thứ nhất")
    draws = iter([first.join_code, first.join_code, "ZZZZZZ"])
    monkeypatch.setattr(classes, "new_join_code", lambda: next(draws))

    second = open_class_for(facilitator, name="Lớp thứ hai")

    assert second.join_code == "ZZZZZZ"
    assert LearningClass.objects.count() == 2


def test_opening_the_same_class_twice_keeps_one(facilitator):
    assert open_class_for(facilitator) == open_class_for(facilitator)
    assert LearningClass.objects.count() == 1


# --- joining ---------------------------------------------------------------------------------


def test_learner_joins_with_a_typed_code(learner_client, learner, learning_class):
    typed = classes.format_join_code(learning_class.join_code).lower()

    response = learner_client.post(JOIN, {"code": typed})

    assert response.status_code == 302 and response.url == reverse("learning:dashboard")
    membership = ClassMembership.objects.get(learning_class=learning_class, learner=learner)
    assert not membership.assisted_registration and membership.consent_recorded_at is None
    assert f"Bạn đã vào lớp “{learning_class.name}”" in html(learner_client.get(response.url))


def test_joining_twice_keeps_one_membership(learner_client, learner, learning_class):
    learner_client.post(JOIN, {"code": learning_class.join_code})
    again = learner_client.post(qr_url(learning_class))

    assert ClassMembership.objects.filter(learner=learner).count() == 1
    assert "đã ở trong lớp" in html(learner_client.get(again.url))
    assert classes.join_class(learner, learning_class.join_code)[1] is False


def test_the_qr_link_shows_the_class_and_joins_on_one_tap(learner_client, learner, learning_class):
    page = learner_client.get(qr_url(learning_class))
    assert page.status_code == 200
    assert learning_class.name in html(page) and learning_class.place in html(page)
    assert not ClassMembership.objects.exists()  # looking is not joining

    response = learner_client.post(qr_url(learning_class))

    assert response.status_code == 302
    assert ClassMembership.objects.filter(learning_class=learning_class, learner=learner).exists()


def test_a_visitor_from_the_qr_code_signs_in_and_comes_back(
    client, learner, learner_password, learning_class
):
    url = qr_url(learning_class)
    page = html(client.get(url))
    assert f"{reverse('accounts:login')}?next={url}" in page
    assert client.post(url).url == f"{reverse('accounts:login')}?next={url}"
    assert not ClassMembership.objects.exists()

    signed_in = client.post(
        reverse("accounts:login"), {"username": learner.phone, "password": learner_password, "next": url}
    )
    assert signed_in.url == url
    client.post(url)
    assert ClassMembership.objects.filter(learning_class=learning_class, learner=learner).exists()


def test_a_visitor_who_registers_is_offered_the_way_back_to_the_class(client, learning_class):
    url = qr_url(learning_class)
    client.get(url)
    commune = any_commune()
    registered = client.post(
        reverse("accounts:register"),
        {
            "full_name": "Lê Thị Hoa",
            "phone": "0987 654 321",
            "password1": "Hoa-sen-no-2025",
            "password2": "Hoa-sen-no-2025",
            "birth_year": "1958",
            "province": str(commune.province_id),
            "commune": str(commune.pk),
            "learner_group": "nguoi_dan",
            "consent": "on",
        },
    )
    dashboard = html(client.get(registered.url))
    assert f'href="{url}"' in dashboard

    client.post(url)

    assert ClassMembership.objects.filter(learning_class=learning_class, learner__phone="0987654321").exists()
    assert f'href="{url}"' not in html(client.get(reverse("learning:dashboard")))


def test_an_unknown_code_is_refused_clearly(learner_client):
    typed = learner_client.post(JOIN, {"code": "ZZZ-ZZZ"})
    scanned = learner_client.get(reverse("classes:join_code", args=["ZZZZZZ"]))

    assert typed.status_code == 200 and "Không có lớp nào có mã ZZZ-ZZZ" in html(typed)
    assert scanned.status_code == 404 and "Không có lớp nào có mã ZZZ-ZZZ" in html(scanned)
    assert "gồm 6 chữ và số" in html(learner_client.post(JOIN, {"code": "12"}))
    assert "Vui lòng nhập mã vào lớp" in html(learner_client.post(JOIN, {"code": ""}))
    assert not ClassMembership.objects.exists()


def test_a_closed_class_takes_no_new_members_but_keeps_its_own(
    facilitator_client, learner_client, learner, learning_class
):
    from tests.factories import ProfileFactory

    early = ProfileFactory().user
    classes.join_class(early, learning_class.join_code)
    closed = facilitator_client.post(reverse("classes:set_joining", args=[learning_class.pk]), {"nhan": "0"})
    assert closed.status_code == 302
    learning_class.refresh_from_db()
    assert not learning_class.join_open

    typed = learner_client.post(JOIN, {"code": learning_class.join_code})
    tapped = learner_client.post(qr_url(learning_class))

    assert "đã ngừng nhận học viên" in html(typed) and "đã ngừng nhận học viên" in html(tapped)
    assert not ClassMembership.objects.filter(learner=learner).exists()
    assert classes.join_class(early, learning_class.join_code)[1] is False  # already a member: fine

    facilitator_client.post(reverse("classes:set_joining", args=[learning_class.pk]), {"nhan": "1"})
    learner_client.post(JOIN, {"code": learning_class.join_code})
    assert ClassMembership.objects.filter(learner=learner).exists()


def test_a_facilitator_cannot_join_their_own_class(facilitator, facilitator_client, learning_class):
    response = facilitator_client.post(JOIN, {"code": learning_class.join_code})

    assert "Bạn là người hướng dẫn của lớp này" in html(response)
    assert not ClassMembership.objects.exists()
    with pytest.raises(classes.JoinRefused):
        classes.join_class(facilitator, learning_class.join_code)


def test_a_visitor_who_types_a_code_is_taken_to_the_class(client, learning_class):
    response = client.post(JOIN, {"code": classes.format_join_code(learning_class.join_code).lower()})

    assert response.status_code == 302 and response.url == qr_url(learning_class)
    assert "Không có lớp nào" in html(client.post(JOIN, {"code": "ZZZZZZ"}))
    assert not ClassMembership.objects.exists()
