"""Taking a quiz in Chromium: autosave you can see, a dropped network, resume, one question at a
time on a phone, all of them on a wide screen; every quiz page accessible and light."""

import re

from tests.browser.conftest import DESKTOP, log_in_learner
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.test_page_weight import BUDGET_BYTES, first_load_bytes, record

PHONE_360 = {"width": 360, "height": 740}
TIMED_QUIZ = "/bai-kiem-tra/2/"  # "Dịch vụ công trực tuyến toàn trình": 15 minutes, a picture question


def answer(fieldset) -> None:
    """Answer one question the way a person would: tap the first option, or number the steps."""
    if fieldset.get_attribute("data-kind") == "ordering":
        selects = fieldset.locator("select")
        for rank in range(selects.count()):
            selects.nth(rank).select_option(str(rank + 1))
    else:
        fieldset.locator(".choice label").first.click()


def test_taking_a_quiz_on_a_phone_loses_nothing(live_site, new_page):
    page = new_page(viewport=PHONE_360)
    log_in_learner(page, live_site)
    page.goto(live_site.base + TIMED_QUIZ)
    assert_accessible(page, "quiz-intro-360")
    page.click("text=Bắt đầu làm bài")
    page.wait_for_url(re.compile(r".*/bai-lam/\d+/$"))
    attempt_url = page.url
    current = page.locator("fieldset.question.is-current")
    assert page.locator("fieldset.question:visible").count() == 1
    assert "Câu 1/10" in current.locator("legend").inner_text()
    assert page.locator(".quiz-timer").is_visible()
    assert_no_horizontal_scroll(page, "quiz-attempt-360")
    assert_accessible(page, "quiz-attempt-360")

    answer(current)
    current.locator("[data-status]").filter(has_text="Đã lưu").wait_for()

    # The network drops: the page says so, keeps the answer and saves it when back online.
    page.click("fieldset.is-current button[name=go]")
    second = page.locator("fieldset.question.is-current")
    assert "Câu 2/10" in second.locator("legend").inner_text()
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    answer(second)
    page.locator("[data-offline]").wait_for(state="visible")
    second.locator("[data-status].is-failed").wait_for()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    second.locator("[data-status]").filter(has_text="Đã lưu").wait_for(timeout=15_000)
    assert page.locator("[data-offline]").is_hidden()

    # Reload: both answers are there.
    page.goto(attempt_url)
    answered = page.locator(".question-index a.is-answered")
    assert answered.count() == 2
    page.screenshot(path="test-artifacts/quiz-attempt-phone.png", full_page=True)


def test_the_same_attempt_on_a_wide_screen_then_submitted(live_site, new_page):
    page = new_page(viewport=DESKTOP)
    log_in_learner(page, live_site)
    page.goto(live_site.base + TIMED_QUIZ)
    page.click("text=Làm tiếp bài đang dở")
    page.wait_for_url(re.compile(r".*/bai-lam/\d+/"))
    assert page.locator("fieldset.question:visible").count() == 10
    assert page.locator(".question-index a.is-answered").count() == 2
    assert_accessible(page, "quiz-attempt-1280")
    for n in range(3, 11):
        answer(page.locator(f"#cau-{n}"))
        page.locator(f"#cau-{n} [data-status]").filter(has_text="Đã lưu").wait_for()
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r".*/ket-qua/$"))
    assert "điểm" in page.locator(".result__score").inner_text()
    assert_accessible(page, "quiz-result-1280")
    page.set_viewport_size({"width": 320, "height": 740})
    assert_no_horizontal_scroll(page, "quiz-result-320")
    assert_accessible(page, "quiz-result-320")


def test_quiz_pages_are_light(live_site, new_page):
    login = new_page(viewport=PHONE_360)
    log_in_learner(login, live_site)
    login.goto(live_site.base + "/bai-kiem-tra/4/")
    login.click("text=Bắt đầu làm bài")
    login.wait_for_url(re.compile(r".*/bai-lam/\d+/$"))
    attempt_path = login.url.removeprefix(live_site.base)
    signed_in = login.context.storage_state()
    page = new_page(viewport=PHONE_360, storage_state=signed_in)
    total, by_type = first_load_bytes(page, live_site.base + attempt_path)
    record("quiz-attempt", total, by_type)
    assert total <= BUDGET_BYTES, f"quiz-attempt: {total} B {by_type}"
