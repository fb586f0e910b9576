"""Opening a class from a phone, its page and poster, and the links that lead there."""

import pytest
import segno
from django.urls import reverse

from learning import classes
from learning.models import Commune, LearningClass
from tests.factories import any_commune

pytestmark = pytest.mark.django_db

CREATE = reverse("classes:create")


def html(response) -> str:
    return response.content.decode()


def class_data(**overrides) -> dict:
    commune = any_commune()
    data = {
        "name": "Lớp dịch vụ công cho người cao tuổi",
        "place": "Nhà văn hoá thôn 3",
        "province": str(commune.province_id),
        "commune": str(commune.pk),
        "meets_on": "2025-08-15",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_facilitator_opens_a_class_and_gets_its_code(facilitator, facilitator_client):
    response = facilitator_client.post(CREATE, class_data(meets_on="15/08/2025"))

    learning_class = LearningClass.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("classes:detail", args=[learning_class.pk])
    assert learning_class.facilitator == facilitator and learning_class.join_open
    assert str(learning_class.meets_on) == "2025-08-15"
    page = html(facilitator_client.get(response.url))
    assert classes.format_join_code(learning_class.join_code) in page
    assert "Đã mở lớp" in page and "Lớp chưa có học viên" in page


def test_the_form_starts_at_the_facilitators_own_commune(facilitator, facilitator_client):
    page = html(facilitator_client.get(CREATE))
    assert f'<option value="{facilitator.profile.commune_id}" selected>' in page
    assert 'type="date"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vui lòng đặt tên cho lớp."),
        ({"place": ""}, "Vui lòng ghi địa điểm học."),
        ({"place": "\u200b \u200b"}, "Vui lòng ghi địa điểm học."),  # zero-width spaces only
        ({"meets_on": ""}, "Vui lòng chọn ngày học."),
        ({"meets_on": "ngày mai"}, "Ngày học chưa đúng"),
        ({"commune": ""}, "Vui lòng chọn xã/phường nơi mở lớp."),
    ],
)
def test_bad_class_details_get_a_clear_message_and_open_nothing(facilitator_client, overrides, message):
    response = facilitator_client.post(CREATE, class_data(**overrides))

    assert response.status_code == 200 and message in html(response)
    assert not LearningClass.objects.exists()


def test_a_commune_outside_the_province_opens_nothing(facilitator_client):
    elsewhere = Commune.objects.exclude(province_id=any_commune().province_id).first()

    response = facilitator_client.post(CREATE, class_data(commune=str(elsewhere.pk)))

    assert "không thuộc" in html(response)
    assert not LearningClass.objects.exists()


def test_the_poster_shows_the_code_in_big_letters_and_a_qr_code_of_the_join_link(
    facilitator_client, learning_class
):
    response = facilitator_client.get(reverse("classes:poster", args=[learning_class.pk]))
    page = html(response)

    join_url = "http://testserver" + reverse("classes:join_code", args=[learning_class.join_code])
    expected_qr = segno.make(join_url, error="m").svg_data_uri(scale=8, border=2)
    assert response.status_code == 200
    assert f"Mã vào lớp: </span>{classes.format_join_code(learning_class.join_code)}</p>" in page
    assert learning_class.name in page and learning_class.place in page and "15/08/2025" in page
    assert f'src="{expected_qr}"' in page
    # Strict CSP: nothing inline.
    assert " style=" not in page and "<script>" not in page


def test_the_qr_link_on_the_poster_opens_the_join_page(client, learning_class):
    response = client.get(reverse("classes:join_code", args=[learning_class.join_code]))
    assert response.status_code == 200 and learning_class.name in html(response)


def test_the_dashboard_links_facilitators_to_their_classes_and_everyone_to_joining(
    facilitator_client, learner_client
):
    dashboard = reverse("learning:dashboard")
    for_facilitator = html(facilitator_client.get(dashboard))
    for_learner = html(learner_client.get(dashboard))

    assert reverse("classes:mine") in for_facilitator and reverse("classes:join") in for_facilitator
    assert reverse("classes:mine") not in for_learner and reverse("classes:join") in for_learner
