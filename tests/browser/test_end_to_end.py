"""The citizen's whole journey on a 360 x 740 phone, in Chromium against the live site: register,
choose province and commune, enrol, read a lesson, complete a practice procedure (its status
arrives live), take and pass the final quiz through a reload and a dropped connection, open the
certificate, follow its QR link: the verification page says valid. Screenshots of the key
screens go to test-artifacts/journey-*.png.

The course is a short one made for the journey (one lesson, one required practice procedure, a
final quiz of two questions), built through the same models as the demo content.
"""

import json
import re

import pytest

from tests.browser.test_accessibility import assert_no_horizontal_scroll

PHONE_360 = {"width": 360, "height": 740}
PASSWORD = "Hanh-trinh-2026"

MAKE_JOURNEY_COURSE = """
import json
from courses.models import Scenario
from quizzes.models import Question, Quiz, QuizDraw
from quizzes.models.bank import QuestionKind
from tests.courses.builders import build_course
questions = list(Question.objects.filter(kind=QuestionKind.SINGLE).order_by("pk")[:2])
quiz = Quiz(title="Bài kiểm tra hành trình", attempts_allowed=0, pass_percent=50)
quiz.draws = [QuizDraw(question=question, count=1) for question in questions]
quiz.save()
scenario = Scenario.objects.create(
    slug="hanh-trinh-nop-ho-so", title="Nộp hồ sơ hành trình", summary="Nộp rồi theo dõi.",
    steps=[
        ("declare_submit", {"agency_code": "H15.50", "declaration": "Tôi cam đoan."}),
        ("track_status", {"timeline": [
            {"status": "Đã tiếp nhận", "after_seconds": 3, "note": ""},
            {"status": "Đã trả kết quả", "after_seconds": 8, "note": ""},
        ]}),
    ],
)
course = build_course(modules=1, lessons_per_module=1)
course.final_quiz = quiz
course.required_scenarios.add(scenario)
course.save_revision().publish()
print("JOURNEY", json.dumps({
    "course": course.url, "quiz": quiz.pk, "scenario": scenario.slug,
    "answers": [q.options.get(is_correct=True).text for q in questions],
}))
"""


@pytest.fixture(scope="module")
def journey(live_site) -> dict:
    output = live_site.manage("shell", "-c", MAKE_JOURNEY_COURSE)
    return json.loads(next(line for line in output.splitlines() if line.startswith("JOURNEY"))[8:])


def shot(page, name: str) -> None:
    page.screenshot(path=f"test-artifacts/journey-{name}.png", full_page=True)


def test_a_citizen_goes_from_registration_to_a_verified_certificate_on_a_phone(live_site, new_page, journey):
    page = new_page(viewport=PHONE_360)
    base = live_site.base

    # Register, choosing province and commune.
    page.goto(base + "/dang-ky/")
    page.fill("#id_full_name", "Hà Văn Tuấn")
    page.fill("#id_phone", "0966 246 810")  # unique on the shared live site
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_birth_year", "1958")
    page.select_option("#id_province", label="Lai Châu")
    page.wait_for_selector("#id_commune option:nth-child(3)", state="attached")
    page.select_option("#id_commune", index=2)
    page.select_option("#id_learner_group", value="nguoi_dan")
    page.check("#id_consent")
    shot(page, "1-register")
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url("**/hoc-cua-toi/")

    # Enrol and read the lesson.
    page.goto(base + journey["course"])
    page.click("main >> text=Bắt đầu học")
    page.wait_for_selector(".lesson-progress")
    assert_no_horizontal_scroll(page, "journey-lesson")
    shot(page, "2-lesson")
    page.click("text=Hoàn thành bài học")
    page.wait_for_load_state()

    # The practice procedure: submit, then the status arrives over the live socket.
    page.goto(base + f"/thuc-hanh/{journey['scenario']}/")
    page.click("text=Bắt đầu thực hành")
    page.check("#cam_doan")
    page.locator(".mock form button[type=submit]").last.click()
    code = re.search(r"H15\.50-\d{6}-\d{4}", page.locator(".messages").inner_text()).group(0)
    live = page.locator("#live-notifications")
    live.filter(has_text="Đã trả kết quả").wait_for(timeout=20_000)  # pushed, not reloaded
    shot(page, "3-status-pushed")
    page.fill("#ma_ho_so", code)
    page.locator(".mock form button[type=submit]").last.click()
    page.wait_for_selector("text=Bạn đã làm xong bài thực hành")

    # The final quiz, through a reload and a dropped connection.
    page.goto(base + f"/bai-kiem-tra/{journey['quiz']}/")
    page.click("text=Bắt đầu làm bài")
    page.wait_for_url(re.compile(r".*/bai-lam/\d+/$"))
    attempt = page.url
    first = page.locator("fieldset.question.is-current")
    first.locator(".choice label").filter(has_text=journey_answer(first, journey)).first.click()
    first.locator("[data-status]").filter(has_text="Đã lưu").wait_for()
    page.goto(attempt)  # reload: the answer is still there
    assert page.locator(".question-index a.is-answered").count() == 1
    onward = page.locator("fieldset.is-current button[name=go][value='2']")
    if onward.count():  # a phone shows one question at a time
        onward.click()
    second = page.locator("fieldset.question.is-current")
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    second.locator(".choice label").filter(has_text=journey_answer(second, journey)).first.click()
    page.locator("[data-offline]").wait_for(state="visible")
    shot(page, "4-quiz-offline")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    second.locator("[data-status]").filter(has_text="Đã lưu").wait_for(timeout=15_000)
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert "bạn đã đạt" in page.inner_text("main") and "2/2 điểm" in page.inner_text("main")
    shot(page, "5-quiz-passed")

    # The certificate, then its QR link as anyone would open it.
    page.goto(base + "/chung-nhan-cua-toi/")
    page.locator(
        "main a[href^='/chung-nhan-cua-toi/'][href$='/']:not([href='/chung-nhan-cua-toi/'])"
    ).first.click()
    page.wait_for_selector("#share-link")
    shot(page, "6-certificate")
    link = page.input_value("#share-link").replace("http://127.0.0.1:8000", base)
    visitor = new_page(viewport=PHONE_360)
    visitor.goto(link)
    assert "Chứng nhận hợp lệ" in visitor.content() and "Hà Văn Tuấn" in visitor.content()
    shot(visitor, "7-verified")


def journey_answer(fieldset, journey) -> str:
    """The right option of whichever of the two questions this is."""
    options = fieldset.locator(".choice label").all_inner_texts()
    return next(answer for answer in journey["answers"] if any(answer in text for text in options))
