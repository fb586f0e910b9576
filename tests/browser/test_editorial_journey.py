"""The editorial journey on a desktop, in Chromium against the live site: an editor signs in with
password and TOTP, writes a lesson of four kinds of blocks (section heading, paragraph, scam
warning, quick question) and submits it for review; the lesson is not public yet. An approver
signs in, finds it awaiting review on the dashboard and approves it, which publishes it; a
learner on a phone then reads it and answers its question. Screenshots of the key screens go to
test-artifacts/editorial-*.png.

The editor and approver are accounts of their own in the editorial groups, and the lesson goes
into a course made for this journey, so the shared live site's demo content is left as it was.
"""

import json
from urllib.parse import urlparse

import requests
from django_otp.oath import totp

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in_learner

EDITOR = "bientap.journey"
APPROVER = "pheduyet.journey"
PASSWORD = "Bien-tap-hanh-trinh-2026"
TOTP_KEYS = {  # hex keys of the two officials' authenticators
    EDITOR: "5a1f3c9e27b4d6081e3f5a7c9b2d4e6f80a1c3e5",
    APPROVER: "c4e6a8b0d2f41357a9cbed0f2468ace13579bdf0",
}
LEARNER_PHONE = "0945271836"

TITLE = "Nhận biết tin nhắn lừa đảo"
HEADING = "Ba dấu hiệu của tin nhắn giả mạo"
PARAGRAPH = "Kẻ gian giả danh ngân hàng, hối thúc bạn bấm vào đường dẫn lạ và nhập mật khẩu."
WARNING_TITLE = "Không bao giờ đưa mã OTP"
WARNING_TEXT = "Ngân hàng và công an không bao giờ hỏi mã OTP qua điện thoại hay tin nhắn."
QUESTION = "Tin nhắn báo trúng thưởng và xin mã OTP là của ai?"
CHOICES = ["Ngân hàng của bạn", "Kẻ lừa đảo"]
EXPLANATION = "Không ai được hỏi mã OTP của bạn; ai hỏi đều là kẻ gian."

SET_UP = """
import json
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from courses.demo import ensure_catalogue
from courses.editorial import APPROVERS, EDITORS
from courses.models import CoursePage, ModulePage
from learning.models import Commune, Profile, User

for username, group in [(EDITOR, EDITORS), (APPROVER, APPROVERS)]:
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", key=TOTP_KEYS[username], confirmed=True)

learner = User.objects.create_user(username=LEARNER_PHONE, phone=LEARNER_PHONE, password=PASSWORD)
commune = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
Profile.objects.create(
    user=learner, full_name="Lê Thị Thu", birth_year=1960, province=commune.province,
    commune=commune, learner_group="nguoi_dan", consent_at=timezone.now(),
)

course = CoursePage(
    title="An toàn khi nhận tin nhắn", slug="hanh-trinh-bien-tap",
    short_description="Khoá học cho hành trình biên tập.", skill_area="an_toan",
)
ensure_catalogue().add_child(instance=course)
course.save_revision().publish()
module = ModulePage(title="Tin nhắn lừa đảo", slug="tin-nhan-lua-dao")
course.add_child(instance=module)
module.save_revision().publish()
workflow = module.get_workflow()
print("EDITORIAL", json.dumps({
    "module": module.pk, "course": course.url, "workflow": workflow.name if workflow else None,
}))
"""

LESSON_STATE = """
import json
from courses.models import LessonPage
from wagtail.models import WorkflowState
lesson = LessonPage.objects.child_of(ModulePage.objects.get(pk=MODULE)).get(title=TITLE)
state = WorkflowState.objects.for_instance(lesson).order_by("-created_at").first()
tasks = list(state.task_states.order_by("started_at")) if state else []
print("LESSON", json.dumps({
    "id": lesson.pk,
    "url": lesson.url,
    "live": lesson.live,
    "first_published_at": lesson.first_published_at and lesson.first_published_at.isoformat(),
    "owner": lesson.owner.username,
    "blocks": [block.block_type for block in lesson.get_latest_revision_as_object().body],
    "latest_revision": lesson.latest_revision_id,
    "live_revision": lesson.live_revision_id,
    "workflow": state and state.workflow.name,
    "status": state and state.status,
    "requested_by": state and state.requested_by.username,
    "tasks": [
        {"status": t.status, "by": t.finished_by and t.finished_by.username, "revision": t.revision_id}
        for t in tasks
    ],
}))
"""


def run_shell(site, code: str, tag: str, **names) -> dict:
    prelude = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    output = site.manage("shell", "-c", prelude + code)
    line = next(line for line in output.splitlines() if line.startswith(tag + " "))
    return json.loads(line[len(tag) + 1 :])


def lesson_state(site, module_id: int) -> dict:
    return run_shell(
        site,
        "from courses.models import ModulePage\n" + LESSON_STATE,
        "LESSON",
        MODULE=module_id,
        TITLE=TITLE,
    )


def shot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"editorial-{name}.png", full_page=True)


def watch_for_csp_violations(page, violations: list[str]) -> None:
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def log_in_with_totp(page, site, username: str) -> None:
    page.goto(site.base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/can-bo/xac-thuc-hai-buoc/**")  # the password alone is not enough
    page.fill("#id_code", f"{totp(bytes.fromhex(TOTP_KEYS[username]), t0=0, step=30):06d}")
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url(lambda url: urlparse(url).path == "/admin/")


def add_block(page, label: str) -> None:
    """Append a block to the lesson body through the StreamField's last "+" and its chooser."""
    page.locator("button.c-sf-add-button:not([data-streamfield-list-add])").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def test_an_editor_writes_a_lesson_an_approver_publishes_it_and_learners_read_it(live_site, new_page):
    base = live_site.base
    setup = run_shell(
        live_site,
        SET_UP,
        "EDITORIAL",
        EDITOR=EDITOR,
        APPROVER=APPROVER,
        PASSWORD=PASSWORD,
        TOTP_KEYS=TOTP_KEYS,
        LEARNER_PHONE=LEARNER_PHONE,
    )
    assert setup["workflow"] == "Duyệt nội dung khoá học"  # set up by the migrations
    violations: list[str] = []

    # The editor signs in with password and TOTP and writes the lesson.
    page = new_page(viewport=DESKTOP)
    watch_for_csp_violations(page, violations)
    log_in_with_totp(page, live_site, EDITOR)
    page.goto(f"{base}/admin/pages/add/courses/lessonpage/{setup['module']}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Cách nhận ra tin nhắn giả danh ngân hàng.")

    add_block(page, "Tiêu đề mục")
    page.fill("#body-0-value", HEADING)

    add_block(page, "Đoạn văn")
    editor = page.locator("[data-field-input]", has=page.locator("#body-1-value"))
    editor.locator("[contenteditable=true]").click()
    editor.locator("[contenteditable=true]").press_sequentially(PARAGRAPH)

    add_block(page, "Mẹo / lưu ý / cảnh báo lừa đảo")
    page.select_option("#body-2-value-style", "scam")
    page.fill("#body-2-value-title", WARNING_TITLE)
    page.fill("#body-2-value-text", WARNING_TEXT)

    add_block(page, "Câu hỏi kiểm tra nhanh")
    page.fill("#body-3-value-question", QUESTION)
    page.fill("#body-3-value-choices-0-value", CHOICES[0])
    page.locator("button[data-streamfield-list-add]").last.click()  # a second choice
    page.fill("#body-3-value-choices-1-value", CHOICES[1])
    page.fill("#body-3-value-answer", "2")
    page.fill("#body-3-value-explanation", EXPLANATION)
    shot(page, "1-editor-writes")

    # An editor may submit for review but not publish.
    assert page.locator("button[name=action-publish]").count() == 0
    page.locator("footer .w-dropdown__toggle").click()
    page.click("button[name=action-submit]")
    page.wait_for_url(f"**/admin/pages/{setup['module']}/")
    page.locator(".messages").filter(has_text=TITLE).wait_for()
    shot(page, "2-submitted")

    submitted = lesson_state(live_site, setup["module"])
    assert submitted["live"] is False
    assert submitted["first_published_at"] is None
    assert submitted["owner"] == EDITOR
    assert submitted["blocks"] == ["heading", "rich_text", "callout", "checkpoint"]
    assert submitted["workflow"] == "Duyệt nội dung khoá học"
    assert submitted["status"] == "in_progress"
    assert submitted["requested_by"] == EDITOR
    assert [task["status"] for task in submitted["tasks"]] == ["in_progress"]

    # Not public yet: the lesson's address is not found and the course does not list it.
    lesson_url = base + submitted["url"]
    assert requests.get(lesson_url, timeout=10).status_code == 404
    course_page = requests.get(base + setup["course"], timeout=10)
    assert course_page.status_code == 200
    assert TITLE not in course_page.text

    # The approver signs in, finds the lesson awaiting review and approves it.
    page = new_page(viewport=DESKTOP)
    watch_for_csp_violations(page, violations)
    log_in_with_totp(page, live_site, APPROVER)
    row = page.locator("#awaiting-review-content tr", has_text=TITLE)
    row.wait_for()
    assert EDITOR in row.inner_text()
    shot(page, "3-awaiting-review")
    row.locator(".w-dropdown__toggle").click()
    row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    row.wait_for(state="detached")  # the dashboard reloads without it
    shot(page, "4-approved")

    approved = lesson_state(live_site, setup["module"])
    assert approved["live"] is True
    assert approved["first_published_at"] is not None
    assert approved["status"] == "approved"
    assert approved["tasks"] == [
        {"status": "approved", "by": APPROVER, "revision": submitted["latest_revision"]}
    ]
    assert approved["live_revision"] == approved["latest_revision"] == submitted["latest_revision"]

    # Live: a visitor may read it (the course's first lesson is open to all)...
    public = requests.get(lesson_url, timeout=10)
    assert public.status_code == 200
    assert WARNING_TITLE in public.text
    assert TITLE in requests.get(base + setup["course"], timeout=10).text

    # ...and a learner reads every block on a phone and answers the quick question.
    page = new_page(viewport=PHONE)
    watch_for_csp_violations(page, violations)
    log_in_learner(page, live_site, phone=LEARNER_PHONE, password=PASSWORD)
    page.goto(lesson_url)
    main = page.locator("main")
    main.get_by_role("heading", name=TITLE).wait_for()
    main.locator("h2.lesson-heading").filter(has_text=HEADING).wait_for()
    main.locator(".rich-text").filter(has_text=PARAGRAPH).wait_for()
    warning = main.locator("aside.callout--scam")
    assert WARNING_TITLE in warning.inner_text()
    assert WARNING_TEXT in warning.inner_text()
    question = main.locator("section.checkpoint")
    assert QUESTION in question.inner_text()
    assert EXPLANATION not in page.content()  # the explanation comes only after answering
    shot(page, "5-learner-reads")
    question.get_by_label(CHOICES[1]).check()
    question.get_by_role("button", name="Trả lời").click()
    main.locator(".checkpoint__result--right").wait_for()
    assert EXPLANATION in main.locator("section.checkpoint").inner_text()
    shot(page, "6-learner-answers")

    assert violations == [], violations
