"""INP-1 in a real browser, on a sample: payloads stored as a learner's name and notifications are
shown on the learner's pages and in the admin's user listing. Nothing runs (no dialog opens, no
flag is set), the browser reports no Content-Security-Policy violation, and the payloads are
visible as the text they are.

The whole corpus goes through every page with an HTML parser in tests/security/test_xss.py;
this checks the parser's verdict against what Chromium actually does.
"""

import json

from tests.browser.conftest import DESKTOP, PHONE, log_in_learner, log_in_official
from tests.figures import figure
from tests.security.test_xss import PAYLOADS

PHONE_NUMBER = "0933 864 202"
PASSWORD = "Ma-doc-2026"
NAME = "Nguyễn <img src=x onerror=\"window.ran='XSS90'\"> Bình"
SAMPLE = [payload for payload in PAYLOADS if "alert" in payload][:8]

SET_UP = """
import json
from django.utils import timezone
from learning.models import Commune, Profile, User
from learning.notifications import notify_learner
# As registration does: the account's first name is the full name too (admin user lists).
learner = User.objects.create_user(username=PHONE, phone=PHONE, password=PASSWORD, first_name=NAME)
commune = Commune.objects.select_related("province").order_by("pk").first()
Profile.objects.create(
    user=learner, full_name=NAME, birth_year=1970, province=commune.province, commune=commune,
    learner_group="nguoi_dan", consent_at=timezone.now(),
)
for payload in SAMPLE:
    notify_learner(learner, kind="thu", title=payload, body=payload, url="/hoc-cua-toi/")
"""

WATCH = """
window.violations = [];
document.addEventListener('securitypolicyviolation', (event) =>
  window.violations.push(event.violatedDirective + ' ' + (event.sample || '')));
"""


def watch(page, dialogs: list[str]) -> None:
    page.add_init_script(WATCH)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))


def check(page, dialogs: list[str], shown: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    assert dialogs == [], f"{page.url}: a payload ran: {dialogs}"
    assert page.evaluate("window.ran") is None, f"{page.url}: a payload ran"
    assert page.evaluate("window.violations") == [], page.evaluate("window.violations")
    text = page.inner_text("body")
    for payload in shown:
        assert payload.strip() in text, f"{page.url}: {payload!r} is not shown as text"


def test_payloads_stay_text_in_chromium(live_site, new_page):
    script = SET_UP.replace("PHONE", json.dumps(PHONE_NUMBER.replace(" ", "")))
    script = script.replace("PASSWORD", json.dumps(PASSWORD)).replace("NAME", json.dumps(NAME))
    live_site.manage("shell", "-c", script.replace("SAMPLE", json.dumps(SAMPLE)))
    dialogs: list[str] = []
    pages = 0

    learner = new_page(viewport=PHONE)
    watch(learner, dialogs)
    log_in_learner(learner, live_site, phone=PHONE_NUMBER.replace(" ", ""), password=PASSWORD)
    for path, shown in [("/hoc-cua-toi/", []), ("/thong-bao/", SAMPLE), ("/tai-khoan/", [])]:
        learner.goto(live_site.base + path)
        check(learner, dialogs, shown)
        pages += 1
    assert learner.input_value("#id_full_name") == NAME  # in the form, as typed

    official = new_page(viewport=DESKTOP)
    watch(official, dialogs)
    log_in_official(official, live_site)
    official.goto(live_site.base + "/admin/users/?q=Nguy%E1%BB%85n")
    check(official, dialogs, [NAME])
    pages += 1

    figure(
        f"[INP-1] in Chromium: {len(SAMPLE) + 1} payloads on {pages} pages; dialogs: 0; "
        "payload flags set: 0; CSP violations: 0"
    )
