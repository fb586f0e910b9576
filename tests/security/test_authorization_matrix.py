"""ACL-1, WS-2 — learner B against everything learner A owns.

Every named learner URL the resolver knows (namespaces learning, accounts, certificates) is
filled with A's object ids and requested by B with GET and with POST. Nothing B gets back may
carry A's identifying strings, URLs naming an object of A's must refuse, and none of A's rows
may change. Capability URLs (public by design, see learning/capability_urls.py) are checked
separately: they show the public fields and nothing else. Then the live socket.
"""

import contextlib
import json
from dataclasses import dataclass, field
from itertools import product
from urllib.parse import urlsplit

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from certificates.issuing import issue_certificate
from certificates.models import Certificate
from learning import progress
from learning.asgi import application
from learning.capability_urls import CAPABILITY_QUERY_PARAMETERS, CAPABILITY_URLS
from learning.models import (
    CheckpointAnswer,
    Dossier,
    Enrollment,
    LessonProgress,
    Notification,
    Profile,
    SandboxRun,
    StepRecord,
    User,
)
from learning.notifications import notify_learner
from quizzes import attempts
from quizzes.models import Attempt, AttemptQuestion
from tests.courses.builders import CHECKPOINT, build_course, lessons_of
from tests.factories import PASSWORD, ProfileFactory
from tests.figures import figure
from tests.learning.test_live_socket import OWN_ORIGIN, communicator, session_cookie_for
from tests.quizzes.builders import bank, make_quiz
from tests.security.support import (
    RESIDENCE_FORM,
    pay_and_rate,
    start_run,
    temporary_residence_from_the_form,
    temporary_residence_up_to_the_form,
    walk_routes,
)

LEARNER_NAMESPACES = ("learning", "accounts", "certificates")
# Parameters that name an object of A's: B asking for one must be refused.
OWNED_PARAMETERS = {"attempt_id", "run_id", "notification_id", "pk"}
REFUSALS = {302, 403, 404, 405}
# Everything B's POST could use to act on an object: sandbox step, quiz answer, checkpoint, submit.
POST_BODY = {
    "buoc": "0",
    "q1": "1",
    "q1-shown": "1",
    "rev1": "0",
    "was1": "",
    "choice": "1",
    "submit": "1",
    "submit_key": "b-tries",
    "next": "/hoc-cua-toi/",
    "thu_tuc": "Đăng ký tạm trú",
    "ma_ho_so": "x",
}


@dataclass
class World:
    """Learner A with one of everything a learner owns, and learner B."""

    a: User
    b: User
    course: object
    lesson: object
    block_id: str
    quiz: object
    attempt: Attempt
    runs: list[SandboxRun]
    dossier_code: str
    receipt: str
    notification: Notification
    certificate: Certificate
    markers: list[str] = field(default_factory=list)  # A's identifying strings
    private: list[str] = field(default_factory=list)  # those a capability URL must not show either

    def rows(self) -> dict:
        """Every row of A's, as plain values: compared before and after each of B's requests."""
        a = self.a
        querysets = {
            "user": User.objects.filter(pk=a.pk),
            "profile": Profile.objects.filter(user=a),
            "enrollment": Enrollment.objects.filter(learner=a),
            "lesson_progress": LessonProgress.objects.filter(learner=a),
            "checkpoint": CheckpointAnswer.objects.filter(learner=a),
            "attempt": Attempt.objects.filter(learner=a),
            "attempt_question": AttemptQuestion.objects.filter(attempt__learner=a),
            "run": SandboxRun.objects.filter(learner=a),
            "step_record": StepRecord.objects.filter(run__learner=a),
            "dossier": Dossier.objects.filter(run__learner=a),
            "notification": Notification.objects.filter(learner=a),
            "certificate": Certificate.objects.filter(learner=a),
        }
        return {name: list(qs.order_by("pk").values()) for name, qs in querysets.items()}

    def parameter_values(self) -> dict[str, list]:
        return {
            "course_id": [self.course.pk],
            "lesson_id": [self.lesson.pk],
            "block_id": [self.block_id],
            "quiz_id": [self.quiz.pk],
            "attempt_id": [self.attempt.pk],
            "position": [1],
            "option": [1],
            "slug": [self.runs[0].scenario.slug],
            "run_id": [run.pk for run in self.runs],
            "step_index": [1],
            "notification_id": [self.notification.pk],
            "pk": [self.certificate.pk],
        }


@pytest.fixture
def world(scenarios) -> World:
    a = ProfileFactory(
        full_name="Trịnh Thị Riengtu",
        birth_year=1957,
        user__username="riengtu_a",
        user__email="riengtu.a@example.vn",
        user__phone="0911222333",
    ).user
    b = ProfileFactory(full_name="Đỗ Văn Khác", user__username="khac_b").user
    client_a = Client()
    client_a.force_login(a)

    course = build_course(modules=1, lessons_per_module=2, checkpoint_lessons=(1,))
    lessons = lessons_of(course)
    block_id = next(iter(lessons[0].checkpoints()))
    progress.answer_checkpoint(a, lessons[0], block_id, CHECKPOINT["answer"] + 1)
    for lesson in lessons:
        progress.complete_lesson(a, course, lesson)
    certificate = issue_certificate(a, course)

    bank(kinds=("single", "single", "multiple"))
    quiz = make_quiz(count=3)
    attempt = attempts.start_attempt(a, quiz)
    attempts.save_answer(attempt, 1, [1], 0)

    residence = start_run(client_a, "dang-ky-tam-tru")
    temporary_residence_up_to_the_form(client_a, residence)
    temporary_residence_from_the_form(client_a, residence, {**RESIDENCE_FORM, "ly_do": "LYDO-RIENGTU-A"})
    fee = start_run(client_a, "nop-le-phi-giu-bien-lai")
    pay_and_rate(client_a, fee, "GOPY-RIENGTU-A")
    fee.refresh_from_db()
    notification = notify_learner(
        a, kind="thu", title="THONGBAO-RIENGTU-A", body="Riêng của A.", url="/hoc-cua-toi/"
    )

    dossier_code = Dossier.objects.get(run=residence).code
    receipt = fee.kept["1"]["receipt"]
    personas = [run.persona["id_number"] for run in (residence, fee)]
    # What only A and A's own pages may show (the certificate's public page shows none of it).
    private = [
        a.username,
        a.email,
        a.phone,
        "LYDO-RIENGTU-A",
        "GOPY-RIENGTU-A",
        "THONGBAO-RIENGTU-A",
        dossier_code,
        receipt,
        *personas,
    ]
    # Plus what the certificate's public page shows to whoever holds its token.
    public = ["Riengtu", certificate.token, certificate.short_code, certificate.display_code]
    return World(
        a=a,
        b=b,
        course=course,
        lesson=lessons[0],
        block_id=block_id,
        quiz=quiz,
        attempt=attempt,
        runs=[residence, fee],
        dossier_code=dossier_code,
        receipt=receipt,
        notification=notification,
        certificate=certificate,
        markers=[*private, *public],
        private=[*private, str(a.profile.birth_year)],
    )


def readable(response) -> str:
    """The response as text to search: JSON is decoded so that escaped letters are found too."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def found_markers(text: str, markers: list[str]) -> list[str]:
    lowered = text.lower()
    return [marker for marker in markers if marker.lower() in lowered]


def learner_routes():
    return [
        route
        for route in walk_routes()
        if route.namespace in LEARNER_NAMESPACES
        and route.name not in CAPABILITY_URLS
        and route.name not in CAPABILITY_QUERY_PARAMETERS
    ]


def test_learner_b_cannot_read_or_change_anything_of_learner_a(world):
    b_client = Client()
    values = world.parameter_values()
    routes = learner_routes()
    uncovered = {name for route in routes for name, _kind in route.kwargs if name not in values}
    assert not uncovered, f"new URL parameters: add them to the matrix: {uncovered}"

    pairs = scanned = 0
    violations = []
    for route in routes:
        names = [name for name, _kind in route.kwargs]
        for combination in product(*(values[name] for name in names)):
            kwargs = dict(zip(names, combination, strict=True))
            url = reverse(route.name, kwargs=kwargs)
            names_an_object_of_a = bool(OWNED_PARAMETERS & set(names))
            for method in ("get", "post"):
                pairs += 1
                before = world.rows()
                b_client.force_login(world.b)
                response = getattr(b_client, method)(url, POST_BODY if method == "post" else None)
                texts = [readable(response)]
                if response.status_code in (301, 302):
                    target = urlsplit(response["Location"])
                    if not target.netloc and target.path != urlsplit(url).path:
                        texts.append(readable(b_client.get(response["Location"])))
                    elif names_an_object_of_a:
                        violations.append(f"{method.upper()} {url}: redirects to itself")
                scanned += sum(len(text.encode()) for text in texts)
                what = f"{method.upper()} {url} ({route.name}) → {response.status_code}"
                if names_an_object_of_a and response.status_code not in REFUSALS:
                    violations.append(f"{what}: not refused")
                for text in texts:
                    if leaked := found_markers(text, world.markers):
                        violations.append(f"{what}: shows A's {leaked}")
                if world.rows() != before:
                    violations.append(f"{what}: changed A's rows")

    figure(
        f"\n[ACL-1] learner URLs enumerated: {len(routes)}; (URL × method) pairs tried: {pairs}; "
        f"violations: {len(violations)}; bytes scanned: {scanned}"
    )
    assert not violations, "\n".join(violations)


def test_capability_urls_show_only_the_public_fields(world, client):
    """Certificates' verification URLs are public by design: anyone with the token sees the
    name, course, date, issuer and status — and nothing else of A's."""
    certificate = world.certificate
    b_client = Client()
    b_client.force_login(world.b)
    public = [certificate.learner_name, certificate.course_title, certificate.display_code]
    checked = 0
    for name in ("certificates:verify", "certificates:status", "certificates:credential"):
        url = reverse(name, args=[certificate.token])
        for who in (client, b_client):
            for suffix in ("", "?dang=json"):
                response = who.get(url + suffix)
                checked += 1
                assert response.status_code == 200, url
                text = readable(response)
                assert not found_markers(text, world.private), (url, found_markers(text, world.private))
    verify = client.get(reverse("certificates:verify", args=[certificate.token])).content.decode()
    assert all(value in verify for value in public)
    status = json.loads(client.get(reverse("certificates:status", args=[certificate.token])).content)
    assert set(status) == {"valid", "state", "revoked_at", "reason", "replaced_by"}
    credential = json.loads(
        client.get(reverse("certificates:credential", args=[certificate.token]) + "?dang=json").content
    )
    subject = credential["credentialSubject"]
    assert set(subject) <= {"type", "identifier", "achievement", "result"}
    assert [item["identityType"] for item in subject["identifier"]] == ["name"]
    assert subject["identifier"][0]["identityHash"] == certificate.learner_name

    # Django's reset link is a capability too: without A's real token it changes nothing.
    uid = urlsafe_base64_encode(force_bytes(world.a.pk))
    before = world.rows()
    for token in ("set-password", "abc-0123456789abcdef", world.certificate.token):
        url = reverse("accounts:password_reset_confirm", args=[uid, token])
        page = b_client.get(url, follow=True)
        b_client.post(url, {"new_password1": "Ke-gian-2025!", "new_password2": "Ke-gian-2025!"})
        checked += 2
        assert not found_markers(readable(page), world.private)
    assert world.rows() == before
    world.a.refresh_from_db()
    assert world.a.check_password(PASSWORD)
    figure(
        f"\n[ACL-1] capability URLs (public by design): {sorted(CAPABILITY_URLS)} + "
        f"{sorted(CAPABILITY_QUERY_PARAMETERS)}; requests checked: {checked}; private fields shown: 0"
    )


# --- the live socket ------------------------------------------------------------------------


# What a client might try to get another learner's pushes: none is part of the protocol.
JOIN_ATTEMPTS = [
    {"type": "subscribe", "group": "{group}"},
    {"type": "join", "group": "{group}", "user": "{a}"},
    {"type": "group_add", "group": "{group}"},
    {"type": "learner.push", "message": {"type": "notification", "title": "gia"}},
    {"type": "learner.timers"},
    {"type": "ping", "group": "{group}", "user_id": "{a}"},
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_socket_of_b_never_receives_pushes_meant_for_a(close_sync_connections):
    a = await sync_to_async(lambda: ProfileFactory().user)()
    b = await sync_to_async(lambda: ProfileFactory().user)()
    group = f"learner.{a.pk}"

    anonymous = communicator()
    connected, code = await anonymous.connect()
    assert not connected and code == 4401

    socket_a = communicator(cookie=await sync_to_async(session_cookie_for)(a))
    socket_b = communicator(cookie=await sync_to_async(session_cookie_for)(b))
    # Asking for A in the handshake's query string: still B's socket.
    socket_b_query = WebsocketCommunicator(
        application,
        f"/ws/live/?user={a.pk}&group={group}&course={a.pk}",
        headers=[
            (b"origin", OWN_ORIGIN),
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", await sync_to_async(session_cookie_for)(b)),
        ],
    )
    for socket in (socket_a, socket_b, socket_b_query):
        assert (await socket.connect())[0]
        assert await socket.receive_json_from() == {"type": "hello"}

    sent = 0
    for attempt in JOIN_ATTEMPTS:
        text = json.dumps(attempt).replace("{group}", group).replace("{a}", str(a.pk))
        await socket_b.send_to(text_data=text)
        sent += 1
    await socket_b.send_to(text_data=group)
    sent += 1
    assert await socket_b.receive_json_from() == {"type": "pong"}  # the one ping

    await sync_to_async(notify_learner)(a, kind="thu", title="Chỉ dành cho A", url="/hoc-cua-toi/")

    heard = await socket_a.receive_json_from(timeout=2)
    assert heard["title"] == "Chỉ dành cho A"
    assert await socket_b.receive_nothing(timeout=0.3)
    assert await socket_b_query.receive_nothing(timeout=0.1)
    for socket in (socket_a, socket_b, socket_b_query):
        await socket.disconnect()
    figure(
        f"\n[WS-2] join attempts sent by B: {sent} messages + 1 handshake query; "
        "pushes to A heard by B: 0; anonymous handshakes accepted: 0"
    )
