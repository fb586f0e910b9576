"""Officials build a scenario from typed steps in the admin; a learner completes it, no code change."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Scenario
from learning.models import Dossier, RunState, SandboxRun

pytestmark = pytest.mark.django_db


def step(n: int, kind: str, **fields) -> dict:
    data = {
        f"steps-{n}-type": kind,
        f"steps-{n}-deleted": "",
        f"steps-{n}-order": str(n),
        f"steps-{n}-id": "",
    }
    data.update({f"steps-{n}-value-{key}": value for key, value in fields.items()})
    return data


def test_an_official_builds_a_scenario_and_a_learner_completes_it(official_client, learner):
    learner_client = Client()  # its own session: the official's client is the default one
    learner_client.force_login(learner)
    form = {
        "title": "Nộp thử một hồ sơ",
        "slug": "nop-thu-mot-ho-so",
        "summary": "Một bài ngắn để làm quen với việc cam đoan và nộp.",
        "look": "portal",
        "persona_level": "2",
        "steps-count": "2",
        **step(0, "info", title="Chào bạn", body="Đọc kỹ rồi bấm tiếp.", button="Tiếp tục"),
        **step(1, "declare_submit", agency_code="X01.02", declaration="Tôi cam đoan khai đúng."),
    }
    response = official_client.post(reverse("wagtailsnippets_courses_scenario:add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/edit/" in response["Location"] or response["Location"].endswith("/scenario/"), response[
        "Location"
    ]
    scenario = Scenario.objects.get(slug="nop-thu-mot-ho-so")
    assert [block.block_type for block in scenario.steps] == ["info", "declare_submit"]

    start = learner_client.post(reverse("learning:sandbox_start", args=[scenario.slug]))
    run = SandboxRun.objects.get()
    url = start["Location"]
    assert "Chào bạn" in learner_client.get(url).content.decode()
    learner_client.post(url, {"buoc": "0"})
    assert "Tôi cam đoan khai đúng." in learner_client.get(url).content.decode()
    learner_client.post(url, {"buoc": "1", "cam_doan": "1"})
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED
    assert Dossier.objects.get(run=run).code.startswith("X01.02-")


def test_a_badly_formed_step_is_refused_in_the_admin(official_client):
    form = {
        "title": "Sai",
        "slug": "sai",
        "summary": "x",
        "look": "portal",
        "persona_level": "2",
        "steps-count": "1",
        **step(0, "declare_submit", agency_code="không hợp lệ", declaration="x"),
    }
    response = official_client.post(reverse("wagtailsnippets_courses_scenario:add"), form)
    assert response.status_code == 200 and not Scenario.objects.exists()
