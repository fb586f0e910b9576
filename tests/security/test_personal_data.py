"""PD-1, PD-2 — personal data in logs, URLs and the database after a representative flow.

One learner goes through the site as a browser would: registers with phone, e-mail and
password, signs in, enrols and finishes a course, types real-looking ID numbers into a
sandbox, takes a quiz, opens and shares the certificate, changes and resets the password. Every
log record (DEBUG and up, Django's request logger included) is written through the configured
console handler, and that output, every URL requested and a full ``dumpdata`` are scanned.
Capability URLs (learning/capability_urls.py) must carry their secret, and logs must not.
"""

import io
import json
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from certificates.models import Certificate
from courses.sandboxes.identity import RESERVED_PREFIX
from learning.capability_urls import (
    CAPABILITY_QUERY_PARAMETERS,
    CAPABILITY_URLS,
    REDACTED,
    RedactCapabilityURLs,
    listed_names_missing,
    redact,
)
from learning.models import Commune, Dossier, LearnerGroup, User
from quizzes.models import Attempt
from tests.courses.builders import build_course, lessons_of
from tests.figures import figure
from tests.quizzes.builders import bank, make_quiz
from tests.security.support import (
    RESIDENCE_FORM,
    RecordingClient,
    login_data,
    post_step,
    start_run,
    temporary_residence_from_the_form,
    walk_routes,
)

pytestmark = pytest.mark.django_db

PHONE = "0987654321"
EMAIL = "ba.nguyen.rieng@example.vn"
PASSWORDS = ["Mat-khau-Rieng-2025!", "Mat-khau-Moi-2025?", "Dat-lai-Mat-khau-2025#"]
# Real-looking citizen ID numbers a learner might type (never 099…): they must be refused and forgotten.
REAL_LOOKING_IDS = ["001084000999", "079203001234", "038190012345"]
TWELVE_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])")
# Random identifiers that may hold 12 digits in a row by chance: removed before looking for IDs.
RANDOM_IDENTIFIERS = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}|[A-Za-z0-9+/=_$-]{40,}"
)

# Where the database is expected to hold the learner's phone, e-mail and session id: (model, field).
EXPECTED_LOCATIONS = {
    "phone": {("learning.user", "phone"), ("learning.user", "username")},  # registered with a phone
    "email": {("learning.user", "email")},
    "session id": {("sessions.session", "pk")},
}


# The request line Daphne's runserver logs (daphne/management/commands/runserver.py).
ACCESS_LINE = "HTTP %(method)s %(path)s %(status)s [%(time_taken).2f, %(client)s]"


class FlowClient(RecordingClient):
    """Runs each request's on-commit callbacks (certificates are issued on commit, as in production)."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


# Wagtail's page and collection tree paths are digits in steps of four ("000100010001"): the
# position in the tree, not a number anyone typed. Dropped before looking for ID numbers.
TREE_PATH_FIELDS = {("wagtailcore.page", "path"), ("wagtailcore.collection", "path")}
TREE_PATH_IN_JSON = re.compile(r'"path": "(?:[0-9A-Z]{4})+"')


def real_looking_ids(text: str) -> list[str]:
    text = RANDOM_IDENTIFIERS.sub(" ", TREE_PATH_IN_JSON.sub(" ", text))
    return [number for number in TWELVE_DIGITS.findall(text) if not number.startswith(RESERVED_PREFIX)]


def console_handler() -> logging.Handler:
    """The handler the settings configure for every log line (with the redaction filter)."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactCapabilityURLs) for f in handler.filters)
    ]
    assert len(handlers) == 1, logging.getLogger().handlers
    return handlers[0]


def as_written(records) -> list[str]:
    """The log records as the configured console handler writes them."""
    handler, lines = console_handler(), []
    for record in records:
        if handler.filter(record):
            lines.append(handler.format(record))
    return lines


def run_the_flow(client: FlowClient, course, quiz) -> dict:
    """Everything a learner does, over HTTP; returns the secrets seen on the way."""
    seen = {"sessions": set(), "tokens": set()}

    def note_session():
        if "sessionid" in client.cookies and client.cookies["sessionid"].value:
            seen["sessions"].add(client.cookies["sessionid"].value)

    commune = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
    client.get(reverse("accounts:register"))
    registered = client.post(
        reverse("accounts:register"),
        {
            "full_name": "Nguyễn Thị Ba",
            "phone": PHONE,
            "email": EMAIL,
            "password1": PASSWORDS[0],
            "password2": PASSWORDS[0],
            "birth_year": "1962",
            "province": str(commune.province_id),
            "commune": str(commune.pk),
            "learner_group": LearnerGroup.CITIZEN,
            "consent": "on",
        },
    )
    assert registered.status_code == 302, registered.content.decode()[:500]
    note_session()
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": PHONE, "password": "sai-mat-khau-roi"})
    assert (
        client.post(reverse("accounts:login"), {"username": PHONE, "password": PASSWORDS[0]}).status_code
        == 302
    )
    note_session()

    # A course, read and completed.
    client.get(reverse("learning:dashboard"))
    client.post(reverse("learning:enrol", args=[course.pk]))
    for lesson in lessons_of(course):
        client.get(lesson.url)
        client.post(reverse("learning:complete_lesson", args=[lesson.pk]))

    # The sandbox, with real-looking ID numbers typed where a careless learner would.
    run = start_run(client, "dang-ky-tam-tru")
    client.get(reverse("learning:sandbox_run", args=[run.pk]))
    post_step(client, run, **{**login_data(run), "so_dinh_danh": REAL_LOOKING_IDS[0]})
    assert post_step(client, run, **login_data(run)).status_code == 302
    post_step(client, run, tim="1", tu_khoa=f"tạm trú {REAL_LOOKING_IDS[1]}")
    assert post_step(client, run, thu_tuc="Đăng ký tạm trú").status_code == 302
    assert post_step(client, run).status_code == 302
    place = {"province": str(run.persona["province_code"]), "commune": str(run.persona["commune_code"])}
    assert post_step(client, run, **place).status_code == 302
    post_step(client, run, **{**RESIDENCE_FORM, "ly_do": f"CCCD {REAL_LOOKING_IDS[2]}"})
    temporary_residence_from_the_form(client, run, RESIDENCE_FORM)
    dossier_page = client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    code = re.search(r"H15\.\d+-\d{6}-\d{4}", dossier_page)
    post_step(client, run, ma_ho_so=f"{code.group(0) if code else 'x'} {REAL_LOOKING_IDS[0]}")

    # A quiz: started, answered, submitted.
    client.get(reverse("learning:quiz", args=[quiz.pk]))
    client.post(reverse("learning:start_quiz", args=[quiz.pk]))
    attempt = Attempt.objects.get(learner__phone=PHONE, quiz=quiz)
    client.get(reverse("learning:attempt", args=[attempt.pk]))
    for question in attempt.questions.all():
        client.post(
            reverse("learning:save_answer", args=[attempt.pk, question.position]),
            {
                f"q{question.position}": "1",
                f"q{question.position}-shown": "1",
                f"rev{question.position}": "0",
            },
        )
    client.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1", "submit_key": "k1"})
    client.get(reverse("learning:attempt_result", args=[attempt.pk]))

    # The certificate: the learner's own pages, then what an employer opens.
    certificate = Certificate.objects.get(learner__phone=PHONE)
    seen["tokens"] |= {certificate.token, certificate.short_code}
    for url in (
        reverse("certificates:mine"),
        reverse("certificates:detail", args=[certificate.pk]),
        reverse("certificates:download", args=[certificate.pk]),
        reverse("certificates:verify", args=[certificate.token]),
        reverse("certificates:status", args=[certificate.token]),
        reverse("certificates:credential", args=[certificate.token]),
        reverse("certificates:lookup") + f"?ma={certificate.display_code}",
        reverse("certificates:verify", args=["khong-phai-ma-that-" + "x" * 24]),  # a 404, logged
    ):
        client.get(url)
    client.get(reverse("accounts:export_data"))

    # The password: changed, then forgotten and reset by e-mail.
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORDS[0], "new_password1": PASSWORDS[1], "new_password2": PASSWORDS[1]},
    )
    assert changed.status_code == 302
    note_session()
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:password_reset"), {"email": EMAIL})
    link = re.search(r"https?://[^/\s]+(/quen-mat-khau/[^\s]+/)", mail.outbox[-1].body).group(1)
    seen["tokens"].add(urlsplit(link).path.strip("/").split("/")[-1])
    form_page = client.get(link, follow=True)
    set_password = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    reset = client.post(set_password, {"new_password1": PASSWORDS[2], "new_password2": PASSWORDS[2]})
    assert reset.status_code == 302, reset.content.decode()[:300]
    assert (
        client.post(reverse("accounts:login"), {"username": PHONE, "password": PASSWORDS[2]}).status_code
        == 302
    )
    note_session()
    client.get(reverse("learning:dashboard"))
    client.post(reverse("accounts:logout"))
    return seen


def test_no_personal_data_or_secret_reaches_logs_urls_or_unexpected_tables(caplog, scenarios):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    course = build_course(modules=1, lessons_per_module=2)
    bank(kinds=("single", "single"))
    quiz = make_quiz(count=2)
    client = FlowClient()
    seen = run_the_flow(client, course, quiz)
    learner = User.objects.get(phone=PHONE)
    # The flow really went everywhere: a dossier filed, the quiz graded, a certificate issued.
    assert Dossier.objects.filter(run__learner=learner).exists()
    assert Attempt.objects.filter(learner=learner, state="finished").exists()
    assert Certificate.objects.filter(learner=learner).exists()
    assert real_looking_ids(json.dumps({"typed": f"CCCD {REAL_LOOKING_IDS[0]}"})) == [REAL_LOOKING_IDS[0]]

    secrets = {
        "phone": [PHONE, "098 765 4321", "+84987654321"],
        "email": [EMAIL],
        "password": PASSWORDS,
        "session id": sorted(seen["sessions"]),
    }
    violations = []

    # Logs, as the configured handler writes them.
    lines = as_written(caplog.records)
    log_text = "\n".join(lines)
    for kind, values in {**secrets, "capability secret": sorted(seen["tokens"])}.items():
        violations += [f"log: {kind} {value!r}" for value in values if value in log_text]
    violations += [f"log: real-looking ID {number}" for number in real_looking_ids(log_text)]
    assert REDACTED in log_text, "the 404 on a made-up certificate token should have been logged, redacted"

    # URLs: no personal data ever; capability secrets only in the listed capability URLs.
    for url in client.requested:
        for kind, values in secrets.items():
            violations += [f"URL {url}: {kind}" for value in values if value in url]
        violations += [f"URL {url}: real-looking ID {number}" for number in real_looking_ids(url)]
        violations += [
            f"URL {url}: secret outside the listed capability URLs"
            for token in seen["tokens"]
            if token in redact(url)
        ]

    # The database, in full.
    dump = io.StringIO()
    call_command("dumpdata", format="json", stdout=dump)
    objects = json.loads(dump.getvalue())
    for obj in objects:
        model = obj["model"]
        for field, value in [("pk", obj.get("pk")), *obj["fields"].items()]:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            for kind, values in secrets.items():
                if (model, field) in EXPECTED_LOCATIONS.get(kind, set()):
                    continue
                violations += [f"database {model}.{field}: {kind}" for value in values if value in text]
            if (model, field) not in TREE_PATH_FIELDS:
                violations += [
                    f"database {model}.{field}: real-looking ID {n}" for n in real_looking_ids(text)
                ]

    figure(
        f"\n[PD-2] flow requests: {len(client.requested)}; log lines scanned: {len(lines)} "
        f"({len(log_text.encode())} bytes); URLs scanned: {len(client.requested)}; "
        f"database objects scanned: {len(objects)} ({len(dump.getvalue().encode())} bytes); "
        f"violations: {len(violations)}"
    )
    figure(f"[PD-2] expected locations: {EXPECTED_LOCATIONS}")
    assert not violations, "\n".join(violations)


def test_capability_urls_are_listed_in_one_place_and_redacted_by_the_configured_handler():
    assert listed_names_missing() == []
    # Any URL whose parameter is a secret must be in the list (a new one added elsewhere fails here).
    secret_parameters = {"token", "uidb64", "code", "key", "secret"}
    unlisted = [
        route.name or route.route
        for route in walk_routes()
        if secret_parameters & {name for name, _kind in route.kwargs} and route.name not in CAPABILITY_URLS
    ]
    assert not unlisted, f"capability URLs missing from learning/capability_urls.py: {unlisted}"

    token = "Qx7" + "a" * 40
    lines = {
        reverse("certificates:verify", args=[token]): token,
        reverse("certificates:credential", args=[token]) + "?dang=json": token,
        reverse("certificates:status", args=[token]): token,
        reverse("accounts:password_reset_confirm", args=["MTIz", "cz1abc-0f5e1d2c3b4a5968"]): "cz1abc-0f5e1d",
        reverse("wagtailadmin_password_reset_confirm", args=["MTIz", "cz1abc-0f5e1d2c3b4a5968"]): "cz1abc",
        reverse("certificates:lookup") + "?ma=K7Q2-MX9D": "K7Q2-MX9D",
    }
    lines[reverse("classes:join_code", args=["K7Q2MX"])] = "K7Q2MX"
    handler, stream = console_handler(), io.StringIO()
    previous = handler.setStream(stream)
    try:
        for path in [*lines, "/chung-nhan/thanh-tich/5/"]:
            # The access line of `manage.py runserver` (Daphne's), and Django's request logger.
            details = {
                "method": "GET",
                "path": path,
                "status": 200,
                "time_taken": 0.01,
                "client": "127.0.0.1:5",
            }
            logging.getLogger("django.channels.server").warning(ACCESS_LINE, details)
            logging.getLogger("django.request").warning("Not Found: %s", path)
    finally:
        handler.setStream(previous)
    written = stream.getvalue()
    leaked = [secret for secret in lines.values() if secret in written]
    assert not leaked, written
    assert written.count(REDACTED) >= 2 * len(lines)
    assert "/chung-nhan/thanh-tich/5/" in written  # ordinary URLs are left alone
    assert "/uidb64" not in written and "MTIz" not in written  # the reset link's user id goes too
    figure(
        f"\n[PD-2] capability URLs listed: {len(CAPABILITY_URLS)} paths + {len(CAPABILITY_QUERY_PARAMETERS)} "
        f"query; request lines written through the configured handler: {2 * len(lines) + 2}; "
        "secrets in the output: 0"
    )
