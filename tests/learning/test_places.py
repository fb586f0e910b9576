import pytest
from django.urls import reverse

from learning.models import Commune, Province

pytestmark = pytest.mark.django_db


def test_two_tier_divisions_are_loaded_with_official_codes():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    hanoi = Province.objects.get(code=1)
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi.official_code == "01"
    assert Commune.objects.get(name="Phường Hoàn Kiếm").province == hanoi


def test_communes_of_a_province_as_json_for_the_picker(client):
    response = client.get(reverse("communes", args=[1]))
    assert response.status_code == 200
    communes = response.json()["communes"]
    assert {"code": 70, "name": "Phường Hoàn Kiếm"} in communes
    assert len(communes) == Commune.objects.filter(province_id=1).count()
    assert "max-age" in response["Cache-Control"]


def test_unknown_province_is_not_found(client):
    assert client.get(reverse("communes", args=[99])).status_code == 404
