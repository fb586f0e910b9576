"""Without a mouse, and with large text.

The citizen's journey again, on a desktop viewport with the keyboard alone: Tab to each control,
Enter on links and buttons, Space on check boxes, arrows in radio groups, typing in fields and
in the province and commune lists. At every Tab the focused element must show the focus ring
and sit inside the viewport, and Tab must always move on (no trap).

Then every page at 320 px wide with the browser's text size doubled (as a phone's "large text"
setting does): nothing may scroll sideways.
"""

import json
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, log_in_learner
from tests.browser.pages import LEARNER_PAGES, VISITOR_PAGES
from tests.browser.test_accessibility import assert_no_horizontal_scroll
from tests.browser.test_end_to_end import MAKE_JOURNEY_COURSE
from tests.figures import figure

PASSWORD = "Ban-phim-2026"
MAX_TABS = 250

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    what: element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + ' '
      + (element.innerText || element.value || element.getAttribute('aria-label') || '').trim().slice(0, 40),
    ring: element.matches(':focus-visible') && style.outlineStyle !== 'none'
      && parseFloat(style.outlineWidth) >= 2,
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


class Keyboard:
    """Moves through a page with Tab only, checking every stop on the way."""

    def __init__(self, page):
        self.page = page
        self.tabs = 0
        self.stops: set[str] = set()

    def focus(self, locator) -> None:
        target = locator.element_handle(timeout=15_000)
        previous = None
        repeated = 0
        for _ in range(MAX_TABS):
            if target.evaluate("element => element === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
            self.tabs += 1
            state = self.page.evaluate(FOCUSED)
            if state is None:  # between the page and the browser's own controls
                continue
            assert state["ring"], f"{self.page.url}: no visible focus on {state['what']}"
            assert state["inView"], f"{self.page.url}: focus outside the viewport on {state['what']}"
            repeated = repeated + 1 if state["what"] == previous else 0
            assert repeated < 3, f"{self.page.url}: Tab is trapped on {state['what']}"
            previous = state["what"]
            self.stops.add(f"{self.page.url} {state['what']}")
        pytest.fail(f"{self.page.url}: {MAX_TABS} Tabs never reached {locator}")

    def press(self, locator, key: str = "Enter") -> None:
        self.focus(locator)
        self.page.keyboard.press(key)

    def type(self, locator, text: str) -> None:
        self.focus(locator)
        self.page.keyboard.type(text)

    def choose(self, group, answer: str) -> None:
        """Into a radio group with Tab, then arrows until the right option is chosen."""
        self.focus(group.locator("input[type=radio]:not(:disabled)").first)
        for _ in range(group.locator("input[type=radio]").count()):
            label = self.page.evaluate("document.activeElement.closest('label, .choice').innerText")
            if answer in label:
                self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        pytest.fail(f"no option says {answer!r}")


@pytest.fixture(scope="module")
def journey(live_site) -> dict:
    script = MAKE_JOURNEY_COURSE.replace("hanh-trinh-nop-ho-so", "hanh-trinh-ban-phim").replace(
        "Bài kiểm tra hành trình", "Bài kiểm tra bàn phím"
    )
    output = live_site.manage("shell", "-c", script)
    return json.loads(next(line for line in output.splitlines() if line.startswith("JOURNEY"))[8:])


def test_the_whole_journey_with_the_keyboard_alone(live_site, new_page, journey):
    page = new_page(viewport=DESKTOP)
    keys = Keyboard(page)
    base = live_site.base

    page.goto(base + "/")
    keys.press(page.locator("header a[href='/dang-ky/']"))
    page.wait_for_url("**/dang-ky/")
    keys.type(page.locator("#id_full_name"), "Đinh Thị Bàn")
    keys.type(page.locator("#id_phone"), "0966 135 791")  # unique on the shared live site
    keys.type(page.locator("#id_password1"), PASSWORD)
    keys.type(page.locator("#id_password2"), PASSWORD)
    keys.type(page.locator("#id_birth_year"), "1955")
    keys.type(page.locator("#id_province"), "Lai Châu")
    assert page.locator("#id_province option:checked").inner_text() == "Lai Châu"
    page.wait_for_selector("#id_commune option:nth-child(3)", state="attached")
    keys.focus(page.locator("#id_commune"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_commune") != ""
    keys.focus(page.locator("#id_learner_group"))
    page.keyboard.press("ArrowDown")
    keys.press(page.locator("#id_consent"), "Space")
    assert page.is_checked("#id_consent")
    keys.press(page.locator("main form.form button[type=submit]:not([name])"))
    page.wait_for_url("**/hoc-cua-toi/")

    # To the course through the catalogue, enrol, finish the lesson.
    keys.press(page.locator("header a[href='/khoa-hoc/']"))
    page.wait_for_url("**/khoa-hoc/")
    keys.press(page.locator(f"main a[href='{journey['course']}']").first)
    page.wait_for_url("**" + journey["course"])
    keys.press(page.locator("main :is(a, button)", has_text="Bắt đầu học").first)
    page.wait_for_selector(".lesson-progress")
    with page.expect_navigation():
        keys.press(page.locator("main button", has_text="Hoàn thành bài học"))

    # The practice procedure; its status still arrives over the socket.
    page.goto(base + journey["course"])
    keys.press(page.locator(f"main a[href*='/thuc-hanh/{journey['scenario']}/']").first)
    keys.press(page.locator("main button", has_text="Bắt đầu thực hành"))
    keys.press(page.locator("#cam_doan"), "Space")
    assert page.is_checked("#cam_doan")
    keys.press(page.locator(".mock form button[type=submit]").last)
    code = re.search(r"H15\.50-\d{6}-\d{4}", page.locator(".messages").inner_text()).group(0)
    page.locator("#live-notifications").filter(has_text="Đã trả kết quả").wait_for(timeout=20_000)
    keys.type(page.locator("#ma_ho_so"), code)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Bạn đã làm xong bài thực hành")

    # The final quiz.
    page.goto(base + journey["course"])
    keys.press(page.locator(f"main a[href='/bai-kiem-tra/{journey['quiz']}/']").first)
    keys.press(page.locator("main button", has_text="Bắt đầu làm bài"))
    page.wait_for_url(re.compile(r".*/bai-lam/\d+/$"))
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        question = questions.nth(index)
        options = question.locator(".choice label").all_inner_texts()
        answer = next(a for a in journey["answers"] if any(a in text for text in options))
        keys.choose(question, answer)
        question.locator("[data-status]").filter(has_text="Đã lưu").wait_for()
        onward = question.locator("button[name=go]", has_text="sang câu sau")
        if onward.count() and onward.is_visible():  # one question at a time on narrow screens
            keys.press(onward)
    with page.expect_navigation():
        keys.press(page.locator("button[name=submit]"))
    assert "bạn đã đạt" in page.inner_text("main")

    # The certificate, and its verification link.
    page.goto(base + "/chung-nhan-cua-toi/")
    keys.press(
        page.locator(
            "main a[href^='/chung-nhan-cua-toi/'][href$='/']:not([href='/chung-nhan-cua-toi/'])"
        ).first
    )
    page.wait_for_selector("#share-link")
    link = page.input_value("#share-link").replace("http://127.0.0.1:8000", base)
    page.goto(link)
    assert "Chứng nhận hợp lệ" in page.content() and "Đinh Thị Bàn" in page.content()

    figure(
        f"[A11Y-K] keyboard journey: {keys.tabs} Tab presses, {len(keys.stops)} distinct focus stops, "
        "each with a visible ring and in view; traps: 0"
    )


DOUBLE_TEXT = {"standard": 32, "fixed": 26}  # Chromium's defaults are 16 and 13


def double_the_text(page) -> None:
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": DOUBLE_TEXT})


def test_every_page_fits_320_px_with_the_text_doubled(live_site, new_page):
    page = new_page(viewport=PHONE)
    log_in_learner(page, live_site)
    page.goto(live_site.base + "/hoc-cua-toi/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)")
    double_the_text(page)
    page.reload()
    doubled = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)"
    )
    assert doubled >= 1.9 * normal, (normal, doubled)

    pages = {**LEARNER_PAGES, **{f"visitor {name}": path for name, path in VISITOR_PAGES.items()}}
    pages.pop("visitor admin-login")  # the Wagtail admin is for officials at a desk
    overflowing = []
    for name, path in pages.items():
        page.goto(live_site.base + path)
        try:
            assert_no_horizontal_scroll(page, name)
        except AssertionError as error:
            page.screenshot(path=f"test-artifacts/zoom-{name.replace(' ', '-')}.png", full_page=True)
            overflowing.append(str(error))
    figure(
        f"[A11Y-Z] text at 200% ({normal:.0f} → {doubled:.0f} px) at 320 px: {len(pages)} pages, "
        f"scrolling sideways: {len(overflowing)}"
    )
    assert not overflowing, "\n".join(overflowing)
