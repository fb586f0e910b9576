"""The extra "spot the scam" drills, taken through HTTP; fake addresses are never links."""

import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from courses.models import Scenario
from courses.sandboxes.demo_scams import FAKE_APP_LINK, FAKE_FINE_PAGE, FAKE_SCHOOL_LINK, SCAM_SCENARIOS
from learning.models import RunState, SandboxRun

pytestmark = pytest.mark.django_db
BY_SLUG = {data["slug"]: data for data in SCAM_SCENARIOS}
FAKE_DOMAINS = {
    "tin-nhan-zalo-cap-nhat-muc-2": "ww38.dichvucong.dancuquocgia.vn",
    "trang-web-gia-mao-phat-nguoi": "dichvucongs.top",
    "tin-nhan-sms-cap-nhat-dinh-danh-con": "capnhat-dinhdanh-hocsinh.vip",
}
DEMO_CONTENT = Path(__file__).resolve().parents[2] / "courses" / "demo_content"


@pytest.fixture
def scam_scenarios(db):
    return {
        data["slug"]: Scenario.objects.create(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            look=data["look"],
            steps=data["steps"],
        )
        for data in SCAM_SCENARIOS
    }


def drill(slug: str) -> dict:
    (kind, settings), *_rest = BY_SLUG[slug]["steps"]
    assert kind == "scam_drill"
    return settings


def flags(slug: str) -> list[str]:
    return [str(n) for n, element in enumerate(drill(slug)["elements"], start=1) if element["is_flag"]]


def non_flags(slug: str) -> list[str]:
    return [str(n) for n, element in enumerate(drill(slug)["elements"], start=1) if not element["is_flag"]]


def actions(slug: str, *, safe: bool) -> list[tuple[str, dict]]:
    return [
        (str(n), action) for n, action in enumerate(drill(slug)["actions"], start=1) if action["safe"] is safe
    ]


def start(client, slug) -> SandboxRun:
    response = client.post(reverse("learning:sandbox_start", args=[slug]))
    assert response.status_code == 302
    return SandboxRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def answer(client, run, flags_chosen, action):
    run.refresh_from_db()
    return client.post(
        reverse("learning:sandbox_run", args=[run.pk]),
        {"buoc": str(run.step_index), "dau_hieu": flags_chosen, "hanh_dong": action},
    )


class Links(HTMLParser):
    """Every URL-bearing attribute in a page, and its text with tags removed."""

    def __init__(self):
        super().__init__()
        self.anchors, self.urls, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs).get("href") or "")
        self.urls += [value or "" for name, value in attrs if name in {"href", "src", "action", "formaction"}]

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


@pytest.mark.parametrize("slug", list(BY_SLUG))
def test_each_unsafe_action_is_a_mistake_with_its_feedback(learner_client, scam_scenarios, slug):
    run = start(learner_client, slug)
    unsafe = actions(slug, safe=False)
    assert len(unsafe) >= 2
    for count, (number, action) in enumerate(unsafe, start=1):
        response = answer(learner_client, run, flags(slug)[:2], number)
        assert response.status_code == 200
        assert escape(action["feedback"]) in response.content.decode()
        run.refresh_from_db()
        assert run.state == RunState.IN_PROGRESS and run.step_index == 0 and run.mistakes == count
        assert run.kept["0"]["safe"] is False and run.kept["0"]["action"] == int(number)


@pytest.mark.parametrize("slug", list(BY_SLUG))
def test_every_safe_action_with_enough_flags_completes_the_run(learner_client, scam_scenarios, slug):
    safe = actions(slug, safe=True)
    assert len(safe) >= 3
    needed = drill(slug)["min_flags"]
    assert needed == 2 and len(flags(slug)) > needed and non_flags(slug)
    seen = set()
    for number, _action in safe:
        run = start(learner_client, slug)
        assert run.pk not in seen
        seen.add(run.pk)
        assert answer(learner_client, run, flags(slug)[:needed], number).status_code == 302
        run.refresh_from_db()
        assert run.state == RunState.COMPLETED and run.mistakes == 0
        assert run.kept["0"] == {
            "flags": [int(n) for n in flags(slug)[:needed]],
            "spotted": needed,
            "flag_total": len(flags(slug)),
            "action": int(number),
            "safe": True,
        }
        done = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
        assert "Bạn đã làm xong bài thực hành" in done


@pytest.mark.parametrize("slug", list(BY_SLUG))
def test_too_few_flags_or_an_innocent_detail_keep_the_run_open(learner_client, scam_scenarios, slug):
    run = start(learner_client, slug)
    safe_action = actions(slug, safe=True)[0][0]
    too_few = answer(learner_client, run, flags(slug)[:1], safe_action).content.decode()
    assert "ít nhất 2 dấu hiệu" in too_few
    innocent_number = non_flags(slug)[0]
    innocent = answer(learner_client, run, [*flags(slug), innocent_number], safe_action).content.decode()
    explanation = drill(slug)["elements"][int(innocent_number) - 1]["explanation"]
    assert escape(explanation) in innocent
    run.refresh_from_db()
    assert run.state == RunState.IN_PROGRESS and run.step_index == 0 and run.mistakes == 2
    assert answer(learner_client, run, flags(slug), safe_action).status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.kept["0"]["spotted"] == len(flags(slug))


@pytest.mark.parametrize("slug", list(BY_SLUG))
def test_fake_addresses_are_shown_as_text_never_as_links(learner_client, scam_scenarios, slug):
    run = start(learner_client, slug)
    domain = FAKE_DOMAINS[slug]
    pages = [
        learner_client.get(reverse("learning:sandbox", args=[slug])).content.decode(),
        learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode(),
        answer(learner_client, run, flags(slug)[:2], actions(slug, safe=False)[0][0]).content.decode(),
    ]
    for html in pages:
        links = parsed(html)
        assert not [url for url in links.urls if "dichvucong" in url or "tinnhiemmang" in url]
        assert all(domain not in href for href in links.anchors)
    step_page = parsed(pages[1])
    visible = "".join(step_page.text)
    assert domain in visible  # the learner still reads the whole address, e.g. to spot the extra "s"
    assert '<span class="scam-url" translate="no">' in pages[1]
    assert "<a href" not in pages[1].split('class="scam-message')[1].split("</figure>")[0]


def test_the_web_drill_looks_like_a_browser_and_the_zalo_drill_like_a_chat(learner_client, scam_scenarios):
    web = learner_client.get(
        reverse("learning:sandbox_run", args=[start(learner_client, "trang-web-gia-mao-phat-nguoi").pk])
    ).content.decode()
    assert 'class="scam-message scam-message--web"' in web and 'class="scam-browser__bar"' in web
    assert "Trang web:" in web and "Địa chỉ trang" in web
    assert FAKE_FINE_PAGE in "".join(parsed(web).text)
    zalo = learner_client.get(
        reverse("learning:sandbox_run", args=[start(learner_client, "tin-nhan-zalo-cap-nhat-muc-2").pk])
    ).content.decode()
    assert 'class="scam-message scam-message--zalo"' in zalo and "Tin nhắn Zalo:" in zalo
    assert FAKE_APP_LINK in "".join(parsed(zalo).text)
    sms = learner_client.get(
        reverse(
            "learning:sandbox_run", args=[start(learner_client, "tin-nhan-sms-cap-nhat-dinh-danh-con").pk]
        )
    ).content.decode()
    assert 'class="scam-message scam-message--sms"' in sms and "Tin nhắn SMS:" in sms
    assert FAKE_SCHOOL_LINK in "".join(parsed(sms).text)


def test_inert_text_escapes_and_wraps_only_web_addresses():
    rendered = Template("{% load sandbox_text %}{{ text|inert_text }}").render(
        Context(
            {
                "text": "Vào https://dichvucongs.top/vn.\nPhí 1.500.000 đồng, TP.HCM, a@b.com "
                '<a href="https://x.example">bấm</a> dichvucong-gov.vn.xyz'
            }
        )
    )
    assert "<a " not in rendered and "&lt;a href=&quot;" in rendered
    assert (
        '<span class="scam-url" translate="no">https:/<wbr>/<wbr>dichvucongs.<wbr>top/<wbr>vn</span>.<br>'
        in rendered
    )
    assert "1.500.000 đồng, TP.HCM, a@b.com" in rendered
    assert '<span class="scam-url" translate="no">dichvucong-gov.<wbr>vn.<wbr>xyz</span>' in rendered


def test_scenarios_are_valid_for_the_admin_and_point_at_real_lessons():
    stream = Scenario._meta.get_field("steps").stream_block
    lessons = {
        lesson["slug"]
        for path in DEMO_CONTENT.glob("*.toml")
        for module in tomllib.loads(path.read_text(encoding="utf-8")).get("modules", [])
        for lesson in module.get("lessons", [])
    }
    for data in SCAM_SCENARIOS:
        assert set(data) == {"slug", "title", "summary", "look", "lesson", "steps"}
        value = stream.to_python([{"type": kind, "value": settings} for kind, settings in data["steps"]])
        stream.clean(value)  # max lengths, required fields and choices as the admin checks them
        assert data["lesson"] in lessons and data["lesson"] != "goi-dien-gia-danh-cong-an"
    assert [data["steps"][0][1]["channel"] for data in SCAM_SCENARIOS] == ["zalo", "web", "sms"]
