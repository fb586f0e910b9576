"""ACL-3, ACL-4, INP-3 — what staff pages show, and to whom.

Facilitators see only their own classes: every route of the ``classes`` namespace that names a
class or a member (walked from the URL resolver, so a new page is covered the day it is added) is
tried with GET and POST by a visitor, a plain learner, facilitator A's own member and facilitator
B (against A's class, and through B's own class); each is refused, changes nothing and shows none
of A's strings. Province-scoped programme managers see only their province: every report URL
(walked the same way) with every query parameter that could name another province returns
nothing about it, and export results follow the scope they were made for. Learner- and
facilitator-written text (names, class names and places) and the place and course names in
reports stay text in every staff page, admin listing, CSV export and JSON feed.
"""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from courses.demo import ensure_catalogue
from courses.models import CoursePage, Scenario
from learning import classes, presence, progress, sandboxes
from learning.models import (
    AssistedMark,
    ClassMembership,
    Commune,
    Enrollment,
    LearnerGroup,
    LearningClass,
    LessonProgress,
    Notification,
    PasswordResetCode,
    Province,
    ReportScope,
    RunState,
    SandboxRun,
    StepRecord,
    User,
)
from learning.reports import exports
from learning.reports.pages import TABLES
from learning.reports.practice import SCAM_KIND
from learning.roles import FACILITATORS, MANAGERS
from learning.spreadsheets import FORMULA_STARTS
from learning.tasks import build_report_export
from learning.text import one_line
from tests.classes.test_assisted_registration import form_data
from tests.courses.builders import build_course, lessons_of, publish
from tests.factories import ProfileFactory
from tests.figures import figure
from tests.reports.conftest import admin_client_for, make_learner
from tests.security.support import MARKER, injected_markup, walk_routes
from tests.security.test_authorization_matrix import REFUSALS, found_markers, readable
from tests.security.test_xss import PAYLOADS, Sinks, official_browser

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_facilitator(full_name: str, username: str) -> User:
    user = ProfileFactory(full_name=full_name, user__username=username).user
    user.groups.add(Group.objects.get(name=FACILITATORS))
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


def text_of(response) -> str:
    """``readable`` once per response: a streamed body can be read only once."""
    if not hasattr(response, "audit_text"):
        response.audit_text = readable(response)
    return response.audit_text


def is_refusal(response) -> bool:
    """403, 404, 405, or a redirect to the sign-in page (never a redirect after doing the thing)."""
    if response.status_code in (301, 302):
        return urlsplit(response["Location"]).path == reverse("accounts:login")
    return response.status_code in REFUSALS


# === ACL-3: facilitators see only their classes =============================================

CLASS_PARAMETERS = {"class_id", "member_id"}
# The join code (vao-lop/<code>/) is on a printed poster, public by design: tests/classes/test_join.py.
PUBLIC_CLASS_PARAMETERS = {"code"}
# What any class action could use: the joining switch, a course or step to mark, a whole
# assisted registration (with consent) that would create an account.
CLASS_POST_BODY = {
    "nhan": "0",
    "buoc": "0",
    "full_name": "Kẻ Gian MKXGIAN",
    "phone": "0977000111",
    "username": "",
    "email": "",
    "password1": "Lua-chin-vang-1952",
    "password2": "Lua-chin-vang-1952",
    "birth_year": "1952",
    "gender": "nam",
    "learner_group": "nguoi_dan",
    "consent": "on",
}


@dataclass
class ClassWorld:
    facilitator_a: User
    facilitator_b: User
    learner: User  # in no class
    class_a: LearningClass
    class_b: LearningClass
    member_a: ClassMembership
    member_b: ClassMembership
    post_body: dict
    markers: list[str] = field(default_factory=list)

    def rows(self) -> dict:
        """Every row a class action could add or change, and the accounts it could touch."""
        return {
            "classes": list(LearningClass.objects.order_by("pk").values()),
            "memberships": list(ClassMembership.objects.order_by("pk").values()),
            "assisted_marks": list(AssistedMark.objects.order_by("pk").values()),
            "reset_codes": list(PasswordResetCode.objects.order_by("pk").values()),
            "users": list(User.objects.order_by("pk").values_list("pk", "password", "is_active")),
            "notifications": Notification.objects.count(),
        }


def with_practice(learner: User, course, scenario: Scenario) -> SandboxRun:
    """Enrolled in a course and stuck on a sandbox step: what a facilitator could mark."""
    progress.enrol(learner, course)
    run = sandboxes.start_run(learner, scenario)
    StepRecord.objects.create(run=run, step_index=0, kind="info", first_seen_at=timezone.now(), mistakes=2)
    return run


@pytest.fixture
def class_world(scenarios) -> ClassWorld:
    commune = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
    place = {"province": commune.province, "commune": commune, "meets_on": datetime.date(2025, 8, 15)}
    facilitator_a = make_facilitator("Nguyễn Thị MKAHUONGDAN", "mka_huongdan")
    facilitator_b = make_facilitator("Lê Văn Bê", "hdb_khac")
    class_a = classes.open_class(
        facilitator_a, name="Lớp Bí Mật MKALOP7731", place="Đình MKANOI7731", **place
    )
    class_b = classes.open_class(facilitator_b, name="Lớp của B", place="Nhà văn hoá B", **place)
    learner_a = ProfileFactory(
        full_name="Hoàng Văn MKAHOCVIEN",
        user__username="mka_hocvien",
        user__email="mka.hocvien@example.vn",
        user__phone="0911777333",
    ).user
    learner_b = ProfileFactory(full_name="Đinh Thị Bê", user__username="hv_cua_b").user
    member_a = classes.join_class(learner_a, class_a.join_code)[0]
    member_b = classes.join_class(learner_b, class_b.join_code)[0]
    course = build_course(modules=1, lessons_per_module=1)
    scenario = scenarios["dang-nhap-dich-vu-cong"]
    run_a = with_practice(learner_a, course, scenario)
    with_practice(learner_b, course, scenario)
    markers = [
        "MKALOP7731",
        "MKANOI7731",
        "MKAHOCVIEN",
        "MKAHUONGDAN",
        class_a.join_code,
        classes.format_join_code(class_a.join_code),
        "mka_hocvien",
        "mka.hocvien@example.vn",
        "0911777333",
    ]
    return ClassWorld(
        facilitator_a=facilitator_a,
        facilitator_b=facilitator_b,
        learner=ProfileFactory(full_name="Người Học Thường", user__username="hv_thuong").user,
        class_a=class_a,
        class_b=class_b,
        member_a=member_a,
        member_b=member_b,
        # A's course and sandbox run: were a guard missing, marking them would succeed.
        post_body={
            **CLASS_POST_BODY,
            "province": str(commune.province_id),
            "commune": str(commune.pk),
            "khoa_hoc": str(course.pk),
            "luot": str(run_a.pk),
        },
        markers=markers,
    )


def facilitator_routes():
    routes = [route for route in walk_routes() if route.namespace == "classes"]
    unknown = {name for route in routes for name, _kind in route.kwargs} - CLASS_PARAMETERS
    unknown -= PUBLIC_CLASS_PARAMETERS
    assert not unknown, f"new URL parameters in the classes namespace: add them to the matrix: {unknown}"
    return [route for route in routes if CLASS_PARAMETERS & {name for name, _kind in route.kwargs}]


def class_urls(route, targets: list[tuple[int, int]], of_a: dict[str, int]) -> list[str]:
    """The route filled with each (class, member) pair that names something of A's."""
    names = {name for name, _kind in route.kwargs}
    urls = []
    for class_id, member_id in targets:
        kwargs = {
            name: value for name, value in (("class_id", class_id), ("member_id", member_id)) if name in names
        }
        url = reverse(route.name, kwargs=kwargs)
        if url not in urls and any(of_a[name] == value for name, value in kwargs.items()):
            urls.append(url)
    return urls


def test_facilitators_reach_only_their_own_classes_and_members(class_world):
    w = class_world
    a_class, a_member = w.class_a.pk, w.member_a.pk
    actors = [
        ("visitor", Client(), [(a_class, a_member)]),
        ("plain learner", signed_in(w.learner), [(a_class, a_member)]),
        ("A's own member", signed_in(w.member_a.learner), [(a_class, a_member)]),
        (
            "facilitator B",
            signed_in(w.facilitator_b),
            # A's class and member; A's class with B's member; B's own class with A's member.
            [(a_class, a_member), (a_class, w.member_b.pk), (w.class_b.pk, a_member)],
        ),
    ]
    routes = facilitator_routes()
    assert {route.name for route in routes} >= {
        "classes:detail",
        "classes:member",
        "classes:issue_reset_code",
    }

    tried = scanned = 0
    violations = []
    for route in routes:
        for actor, client, targets in actors:
            for url in class_urls(route, targets, {"class_id": a_class, "member_id": a_member}):
                for method in ("get", "post"):
                    tried += 1
                    before = w.rows()
                    response = getattr(client, method)(url, w.post_body if method == "post" else None)
                    text = text_of(response)
                    scanned += len(text.encode())
                    what = f"{actor}: {method.upper()} {url} ({route.name}) → {response.status_code}"
                    if not is_refusal(response):
                        violations.append(f"{what}: not refused")
                    if actor == "visitor" and response.status_code != 302:
                        violations.append(f"{what}: a visitor is not sent to sign in")
                    if leaked := found_markers(text, w.markers):
                        violations.append(f"{what}: shows A's {leaked}")
                    if w.rows() != before:
                        violations.append(f"{what}: changed classes, members, marks, codes or accounts")

    figure(
        f"\n[ACL-3] facilitator routes walked: {len(routes)} ({', '.join(r.name for r in routes)}); "
        f"(URL × method × actor) tried: {tried}; violations: {len(violations)}; bytes scanned: {scanned}"
    )
    assert not violations, "\n".join(violations)

    # Not vacuous: A's own pages show the markers, and every action A's own class accepts, with
    # the very body the others sent, changes rows.
    own = signed_in(w.facilitator_a)
    for name, args in [("classes:detail", [a_class]), ("classes:member", [a_class, a_member])]:
        page = text_of(own.get(reverse(name, args=args)))
        assert {"MKALOP7731", "MKAHOCVIEN"} <= set(found_markers(page, w.markers)), name
    actions = 0
    for route in routes:
        url = class_urls(route, [(a_class, a_member)], {"class_id": a_class, "member_id": a_member})[0]
        before = w.rows()
        response = own.post(url, w.post_body)
        if response.status_code != 405:  # a page, not an action
            actions += 1
            assert response.status_code in (200, 302) and w.rows() != before, (
                route.name,
                response.status_code,
            )
    assert actions >= 5


# === ACL-4: a province-scoped manager sees only their province =================================

IN_X, IN_Y = 6, 12  # learners; every Y learner lands in the same cell of every breakdown
PLACE_TABLES = {"khu-vuc", "ho-tro-khu-vuc", "thuc-hanh-khu-vuc"}
REPORT_PARAMETERS = {"slug", "result_id"}


@dataclass
class ReportWorld:
    x: Province
    y: Province
    cx: Commune
    cy: Commune
    course: CoursePage
    x_communes: dict[int, str]
    forbidden: list[str]  # names from outside X that no page of X's manager may contain


def learners_with_everything(commune: Commune, count: int, course, lesson, scenario, now) -> list[User]:
    """Learners who enrolled, finished the lessons and the course, and ran a sandbox with a scam step."""
    made = []
    for _ in range(count):
        learner = make_learner(commune, LearnerGroup.CITIZEN, 1960)
        Enrollment.objects.create(learner=learner, course=course, completed_at=now)
        LessonProgress.objects.create(learner=learner, lesson=lesson, course=course)
        run = sandboxes.start_run(learner, scenario)
        SandboxRun.objects.filter(pk=run.pk).update(state=RunState.COMPLETED, completed_at=now)
        StepRecord.objects.create(run=run, step_index=0, kind=SCAM_KIND, first_seen_at=now, completed_at=now)
        made.append(learner)
    return made


@pytest.fixture
def report_world(scenarios, settings, tmp_path) -> ReportWorld:
    settings.REPORT_EXPORT_DIR = tmp_path / "exports"
    cx = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
    x = cx.province
    y = Province.objects.exclude(pk=x.pk).order_by("code").first()
    cy = Commune.objects.filter(province=y).order_by("code").first()
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    now = timezone.now()
    scenario = scenarios["dang-nhap-dich-vu-cong"]
    in_x = learners_with_everything(cx, IN_X, course, lesson, scenario, now)
    in_y = learners_with_everything(cy, IN_Y, course, lesson, scenario, now)
    x_communes = dict(Commune.objects.filter(province=x).values_list("code", "name"))
    allowed = [x.name, *x_communes.values()]
    outside = [
        *Province.objects.exclude(pk=x.pk).values_list("name", flat=True),
        *Commune.objects.filter(province=y).values_list("name", flat=True),
    ]
    forbidden = sorted({name for name in outside if not any(name in text for text in allowed)})
    assert y.name in forbidden and cy.name in forbidden

    # Online now: X's learners and Y's, in the process's own registry (no Redis).
    settings.REDIS_URL = ""
    presence.REGISTRY.__init__()
    for learner in (*in_x, *in_y):
        province = learner.profile.province_id
        presence.REGISTRY.add(f"socket-{learner.pk}", presence.Socket(learner.pk, course.pk, province))
    yield ReportWorld(x, y, cx, cy, course, x_communes, forbidden)
    presence.REGISTRY.__init__()


def make_manager(username: str, province: Province | None = None) -> tuple[User, Client]:
    user = User.objects.create(username=username)
    user.groups.add(Group.objects.get(name=MANAGERS))
    if province is not None:
        ReportScope.objects.create(user=user, province=province)
    return user, admin_client_for(Client(), User.objects.get(pk=user.pk))


def large_export(client, settings, slug: str = "khu-vuc", params: dict | None = None) -> str:
    """Ask for an export the worker prepares; run the task here, as the worker would. Its id."""
    settings.REPORT_EXPORT_DIRECT_MAX_LEARNERS = 1
    response = client.get(reverse("reports_export", args=[slug]), params or {})
    settings.REPORT_EXPORT_DIRECT_MAX_LEARNERS = exports.DIRECT_EXPORT_MAX_LEARNERS
    assert response.status_code == 302, response
    return run_export(response["Location"].rstrip("/").split("/")[-1])


def run_export(result_id: str) -> str:
    """What the worker does with a queued export (here, in the test's transaction)."""
    row = DBTaskResult.objects.get(id=result_id)
    row.claim("test-worker")
    row.set_successful(row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
    return result_id


def hostile_queries(w: ReportWorld) -> list[list[tuple[str, object]]]:
    """Every way a query string could name Y: the filters' own names, repeated, and guesses."""
    x, y, cy = w.x.pk, w.y.pk, w.cy.pk
    return [
        [],
        [("province", y)],
        [("commune", cy)],
        [("province", y), ("commune", cy)],
        [("province", x), ("commune", cy)],
        [("province", "")],
        [("province", x), ("province", y)],  # QueryDict.get takes the last
        [("province", y), ("province", x)],
        [("tinh", y), ("xa", cy), ("province_id", y), ("commune_id", cy), ("scope", y)],
        [
            ("province", y),
            ("learner_group", LearnerGroup.CITIZEN),
            ("age_band", "60-tro-len"),
            ("course", w.course.pk),
            ("date_from", "2000-01-01"),
            ("date_to", "2100-12-31"),
        ],
    ]


def scoped_findings(response, w: ReportWorld) -> tuple[list[str], int]:
    """What in a response of X's manager is about somewhere else: a name from outside X, a
    number only Y's learners could make (more than X has), a place row or a choice outside X."""
    text = text_of(response)
    findings = [f"names {name!r}" for name in w.forbidden if name in text]
    numbers: list[str] = []
    place_labels: list[str] = []
    kind = response.get("Content-Type", "")
    if kind.startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        numbers = [cell for row in rows[1:] for cell in row[1:]]
        slug = re.search(r"bao-cao-([a-z-]+)-\d{4}", response.get("Content-Disposition", ""))
        if slug and slug.group(1) in PLACE_TABLES:
            place_labels = [row[0] for row in rows[1:] if row and row[0] != "Tổng"]
    elif kind.startswith("application/json"):
        data = json.loads(response.content)
        numbers = [data["total"], *(count for _name, count in data["provinces"] + data["courses"])]
        if [name for name, _count in data["provinces"]] != [w.x.name] or data["courses"]:
            findings.append(f"live counts beyond X: {data['provinces']} {data['courses']}")
    elif kind.startswith("text/html"):
        soup = BeautifulSoup(text, "html.parser")
        for table in soup.select("table.report-table"):
            numbers += [td.get_text(strip=True) for td in table.select("td")]
            caption = table.find("caption")
            if caption and caption.get("id", "").removeprefix("bang-") in PLACE_TABLES:
                place_labels += [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
        for option in soup.select('select[name="province"] option'):
            if option.get("value") != str(w.x.pk):
                findings.append(f"offers province {option.get_text(strip=True)!r}")
        for option in soup.select('select[name="commune"] option'):
            if option.get("value") and int(option["value"]) not in w.x_communes:
                findings.append(f"offers commune {option.get_text(strip=True)!r}")
    findings += [f"count {n} (X has {IN_X} learners)" for n in numbers if n.isdigit() and int(n) > IN_X]
    findings += [f"place row {label!r}" for label in place_labels if label not in w.x_communes.values()]
    return findings, len(text.encode())


def report_routes():
    routes = [route for route in walk_routes() if route.name and route.name.startswith("reports_")]
    unknown = {name for route in routes for name, _kind in route.kwargs} - REPORT_PARAMETERS
    assert not unknown, f"new report URL parameters: add them to the scope audit: {unknown}"
    return routes


def test_a_scoped_manager_sees_nothing_of_another_province_whatever_the_url_says(report_world, settings):
    w = report_world
    _national_user, national = make_manager("quanly_canuoc")
    _scoped_user, scoped = make_manager("quanly_hanoi", w.x)
    # A national manager's finished export (it shows Y): X's manager must not get it.
    national_result = large_export(national, settings)
    control = text_of(national.get(reverse("reports_export_file", args=[national_result])))
    assert w.y.name in control and str(IN_X + IN_Y) in control, "the seeded data would not show a leak"

    values = {"slug": list(TABLES), "result_id": [national_result]}
    routes = report_routes()
    assert all(len(route.kwargs) <= 1 for route in routes), "a report URL with two parameters"
    assert {route.name for route in routes} >= {"reports_progress", "reports_export", "reports_live_json"}
    tried = scanned = 0
    violations = []
    for route in routes:
        names = [name for name, _kind in route.kwargs]
        kwarg_sets = [{}] if not names else [{names[0]: value} for value in values[names[0]]]
        for kwargs in kwarg_sets:
            url = reverse(route.name, kwargs=kwargs)
            queries = hostile_queries(w)
            for method, query in [("get", q) for q in queries] + [("post", q) for q in queries[:2]]:
                tried += 1
                full = f"{url}?{urlencode(query)}" if query else url
                response = getattr(scoped, method)(full, dict(query) if method == "post" else None)
                what = f"{method.upper()} {full} ({route.name}) → {response.status_code}"
                responses = [response]
                if response.status_code == 302:
                    responses.append(scoped.get(response["Location"]))  # an export being prepared
                if "result_id" in kwargs and response.status_code != 404:
                    violations.append(f"{what}: another manager's export is not refused")
                if response.status_code >= 500:
                    violations.append(f"{what}: server error")
                for each in responses:
                    findings, size = scoped_findings(each, w)
                    scanned += size
                    violations += [f"{what}: {finding}" for finding in findings]

    figure(
        f"\n[ACL-4] report routes walked: {len(routes)}; (URL × query × method) tried: {tried} "
        f"({len(hostile_queries(w))} hostile queries, {len(TABLES)} tables); violations: {len(violations)}; "
        f"bytes scanned: {scanned}; names from outside the scope searched for: {len(w.forbidden)}"
    )
    assert not violations, "\n".join(violations)


def test_export_files_follow_the_scope_they_were_made_for(report_world, settings):
    w = report_world
    scoped_user, scoped = make_manager("quanly_hanoi", w.x)
    checked = 0

    # X's own large export, and a queued one that names Y (forged, or queued before a change):
    # the worker applies the scope again, both files are X's.
    own = large_export(scoped, settings, params={"tinh": w.y.pk, "xa": w.cy.pk})
    forged = build_report_export.enqueue(scoped_user.pk, "khu-vuc", {"province": str(w.y.pk)}).id
    for result_id in (own, run_export(forged)):
        download = scoped.get(reverse("reports_export_file", args=[result_id]))
        assert download.status_code == 200
        findings, _size = scoped_findings(download, w)
        assert not findings, findings
        assert w.cx.name in text_of(download)
        checked += 1

    # A national manager's file, then the manager is limited to X: the old file shows Y.
    moved_user, moved = make_manager("quanly_chuyen")
    earlier = large_export(moved, settings)
    assert w.y.name in text_of(moved.get(reverse("reports_export_file", args=[earlier])))
    ReportScope.objects.create(user=moved_user, province=w.x)
    violations = []
    for name in ("reports_export_status", "reports_export_file"):
        response = moved.get(reverse(name, args=[earlier]))
        checked += 1
        findings, _size = scoped_findings(response, w)
        if response.status_code == 200 and findings:
            violations.append(
                f"{name} after the scope narrowed → {response.status_code}: "
                f"{len(findings)} findings, e.g. {findings[:3]}"
            )
    # Made after the change: X's again.
    later = large_export(moved, settings)
    findings, _size = scoped_findings(moved.get(reverse("reports_export_file", args=[later])), w)
    assert not findings, findings
    checked += 1
    figure(
        f"\n[ACL-4] export files: {checked} downloads checked against the scope they were made for; "
        f"violations: {len(violations)}"
    )
    assert not violations, "\n".join(violations)


# === INP-3: payloads through staff pages, exports and feeds ======================================

CHART_ELEMENTS = {"title", "desc", "text", "tspan", "g", "rect", "line", "polyline", "polygon", "circle"}
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?%?")
TEXTS = {payload.strip() for payload in PAYLOADS}
FORMULA_MARKERS = {MARKER.search(p).group() for p in PAYLOADS if p.startswith(FORMULA_STARTS)}


def _attributes(tag) -> dict[str, str]:
    return {name.lower(): " ".join(v) if isinstance(v, list) else str(v) for name, v in tag.attrs.items()}


class StaffSinks(Sinks):
    """Reads staff responses back. HTML: the app's own charts and the poster's QR image are checked
    on their own terms (they carry names as SVG text and as alt text), then the page goes through
    ``injected_markup``. CSV: no cell may start like a formula. JSON: names come back unchanged."""

    def __init__(self, suite: str):
        super().__init__(suite)
        self.csv_cells = 0
        self.neutralised: set[str] = set()

    def html(self, label: str, response, payloads=PAYLOADS, *, shown: bool = False) -> str:
        assert response.status_code == 200, (label, response.status_code)
        text = response.content.decode()
        self.pages += 1
        self.bytes += len(response.content)
        self.pairs += len(payloads)
        soup = BeautifulSoup(text, "html.parser")
        for chart in soup.select("svg.report-chart"):
            for tag in [chart, *chart.find_all(True)]:
                if tag is not chart and tag.name not in CHART_ELEMENTS:
                    self.findings.append(f"{label}: element in a chart: {str(tag)[:120]!r}")
                for name, value in _attributes(tag).items():
                    if name.startswith("on") or MARKER.search(name) or MARKER.search(value):
                        self.findings.append(f"{label}: chart attribute from a payload: {name}={value!r}")
            chart.decompose()
        for image in soup.select("img.poster__qr"):
            attributes = _attributes(image)
            heading = soup.select_one(".poster__title")
            expected = f"Mã QR để vào lớp {heading.get_text() if heading else ''}"
            if set(attributes) != {"class", "src", "width", "height", "alt"}:
                self.findings.append(f"{label}: poster image attributes {sorted(attributes)}")
            if not attributes.get("src", "").startswith("data:image/svg+xml"):
                self.findings.append(f"{label}: poster image source {attributes.get('src', '')[:60]!r}")
            if attributes.get("alt") != expected:  # the whole name stayed inside the attribute
                self.findings.append(f"{label}: poster alt text {attributes.get('alt')!r} != {expected!r}")
            del image["alt"]
        self.findings += [f"{label}: {finding}" for finding in injected_markup(str(soup))]
        self.check_shown(label, text, payloads, shown)
        return text

    def csv(self, label: str, response) -> list[list[str]]:
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), label
        content = text_of(response)
        rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
        self.pages += 1
        self.bytes += len(content.encode())
        for row in rows:
            for cell in row:
                self.csv_cells += 1
                if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
                    self.findings.append(f"{label}: formula cell {cell[:60]!r}")
                if marker := MARKER.search(cell):
                    self.pairs += 1
                    self.shown += 1
                    if cell.startswith("'") and cell[1:] in TEXTS and cell[1:].startswith(FORMULA_STARTS):
                        self.neutralised.add(marker.group())
                    elif cell not in TEXTS:
                        self.findings.append(f"{label}: cell altered or joined: {cell[:60]!r}")
        return rows

    def json(self, label: str, response, names: set[str]) -> dict:
        """A feed for live.js-style scripts (textContent): names unchanged, never parsed as HTML."""
        assert response.status_code == 200, label
        self.pages += 1
        self.bytes += len(response.content)
        if not response["Content-Type"].startswith("application/json"):
            self.findings.append(f"{label}: served as {response['Content-Type']}")
        if response.get("X-Content-Type-Options") != "nosniff":
            self.findings.append(f"{label}: no X-Content-Type-Options: nosniff")
        data = json.loads(response.content)
        for name, _count in data["provinces"] + data["courses"]:
            if MARKER.search(name):
                self.pairs += 1
                self.shown += 1
                if name not in names:
                    self.findings.append(f"{label}: name altered: {name!r}")
        return data

    def report(self) -> None:
        spreadsheets = (
            f"CSV cells checked {self.csv_cells}, formula payloads neutralised "
            f"{len(self.neutralised)}/{len(FORMULA_MARKERS)}; "
            if self.csv_cells
            else ""
        )
        figure(
            f"\n[INP-3] {self.suite}: payloads {len(PAYLOADS)}; responses read back {self.pages}; "
            f"(payload × response) pairs {self.pairs}, shown {self.shown}; {spreadsheets}"
            f"bytes parsed {self.bytes}; findings {len(self.findings)}"
        )
        assert not self.findings, "\n".join(self.findings)


def assisted_form(payload: str, n: int, commune: Commune, **overrides) -> dict:
    return form_data(
        full_name=payload,
        phone=f"0966{n:06d}",
        province=str(commune.province_id),
        commune=str(commune.pk),
        **overrides,
    )


def test_class_pages_and_admin_listings_keep_names_class_names_and_places_as_text(settings, official):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    sinks = StaffSinks("facilitator pages, join pages, Wagtail user listings")
    commune = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
    facilitator = make_facilitator("Người Hướng Dẫn Lớp", "hd_xss")
    lead = signed_in(facilitator)
    class_form = {"province": commune.province_id, "commune": commune.pk, "meets_on": "2025-08-15"}
    members = []
    for n, payload in enumerate(PAYLOADS, start=1):
        # The facilitator names the class and its place.
        opening = {**class_form, "name": payload, "place": payload}
        refused = lead.post(reverse("classes:create"), {**opening, "meets_on": ""})
        sinks.html("open a class (refused, fields echoed)", refused, [payload], shown=True)
        opened = lead.post(reverse("classes:create"), opening, follow=True)
        assert opened.redirect_chain, f"class refused for {payload!r}"
        sinks.html("class page after opening (message)", opened, [payload], shown=True)
        # Stored as typed, less the invisible characters (XSS13's direction overrides).
        learning_class = LearningClass.objects.get(facilitator=facilitator, name=one_line(payload))
        assert learning_class.place == one_line(payload)

        # The facilitator types a learner's name; a learner typed their own and joins with the code.
        register = reverse("classes:assisted_registration", args=[learning_class.pk])
        sinks.html("assisted registration form", lead.get(register), [payload], shown=True)
        echoed = lead.post(register, assisted_form(payload, n, commune, consent=""))
        sinks.html("assisted registration (refused, fields echoed)", echoed, [payload], shown=True)
        registered = lead.post(register, assisted_form(payload, n, commune), follow=True)
        assert registered.redirect_chain, f"assisted registration refused for {payload!r}"
        sinks.html("member page after registering (message)", registered, [payload], shown=True)
        joiner = ProfileFactory(full_name=payload, user__first_name=payload).user
        members.append(joiner)
        own = signed_in(joiner)
        join = reverse("classes:join_code", args=[learning_class.join_code])
        sinks.html("join page (learner)", own.get(join), [payload], shown=True)
        sinks.html("dashboard after joining (message)", own.post(join, follow=True), [payload], shown=True)
        membership = ClassMembership.objects.get(learner=joiner)

        for label, response in [
            ("class page", lead.get(reverse("classes:detail", args=[learning_class.pk]))),
            ("poster", lead.get(reverse("classes:poster", args=[learning_class.pk]))),
            ("member page", lead.get(reverse("classes:member", args=[learning_class.pk, membership.pk]))),
            (
                "reset code issued",
                lead.post(reverse("classes:issue_reset_code", args=[learning_class.pk, membership.pk])),
            ),
        ]:
            sinks.html(label, response, [payload], shown=True)
    sinks.html("my classes", lead.get(reverse("classes:mine")), shown=True)

    # Wagtail's user listing, every page of it, and its search: both kinds of member are there.
    admin = official_browser(official)
    listing, page = "", 1
    while page <= 10:
        response = admin.get(reverse("wagtailusers_users:index"), {"p": page})
        if response.status_code == 404:
            break
        listing += sinks.html(f"Wagtail users listing p{page}", response, [])
        page += 1
    missing = [p for p in PAYLOADS if listing.count(MARKER.search(p).group()) < 2]
    assert not missing, f"the users listing does not show both members named {missing}"
    sinks.pairs += len(PAYLOADS)
    sinks.shown += len(PAYLOADS)
    sinks.html("Wagtail users search", admin.get(reverse("wagtailusers_users:index"), {"q": "XSS"}))
    for learner in members[:3]:
        sinks.html("Wagtail user edit", admin.get(reverse("wagtailusers_users:edit", args=[learner.pk])), [])
    sinks.report()


@pytest.fixture
def named_places(scenarios, settings) -> dict:
    """Payloads as names in X: communes (as if imported from a gazetteer), course titles and
    scenario titles (typed by editors); one learner per commune, enrolled in one course each."""
    cx = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
    x = cx.province
    communes = list(Commune.objects.filter(province=x).order_by("code")[: len(PAYLOADS)])
    catalogue = ensure_catalogue()
    scenario_list = list(Scenario.objects.order_by("pk"))
    now = timezone.now()
    settings.REDIS_URL = ""
    presence.REGISTRY.__init__()
    courses = []
    for n, (commune, payload) in enumerate(zip(communes, PAYLOADS, strict=True)):
        Commune.objects.filter(pk=commune.pk).update(name=payload)
        course = publish(
            catalogue,
            CoursePage(
                title=payload,
                slug=f"khoa-hoc-xss-{n}",
                short_description="Tên khoá học lạ.",
                skill_area="an_toan",
                target_groups=["nguoi_dan"],
            ),
        )
        courses.append(course)
        learner = make_learner(commune, LearnerGroup.CITIZEN, 1960)
        Enrollment.objects.create(learner=learner, course=course, completed_at=now)
        run = sandboxes.start_run(learner, scenario_list[n % len(scenario_list)])
        SandboxRun.objects.filter(pk=run.pk).update(state=RunState.COMPLETED, completed_at=now)
        StepRecord.objects.create(run=run, step_index=0, kind=SCAM_KIND, first_seen_at=now, completed_at=now)
        presence.REGISTRY.add(f"socket-{learner.pk}", presence.Socket(learner.pk, course.pk, x.pk))
    for scenario, payload in zip(scenario_list, reversed(PAYLOADS), strict=False):
        Scenario.objects.filter(pk=scenario.pk).update(title=payload)
    yield {
        "x": x,
        "scenarios": [p for _s, p in zip(scenario_list, reversed(PAYLOADS), strict=False)],
        "courses": courses,
    }
    presence.REGISTRY.__init__()


def test_reports_exports_and_live_counts_keep_place_course_and_scenario_names_as_text(named_places):
    sinks = StaffSinks("reports, CSV exports, live counts")
    x = named_places["x"]
    scenario_payloads = named_places["scenarios"]
    _national_user, national = make_manager("quanly_xss")
    _scoped_user, scoped = make_manager("quanly_xss_hanoi", x)
    in_x = {"province": x.pk}

    for who, client, query in [("national, province X", national, in_x), ("scoped to X", scoped, {})]:
        page = reverse("reports_progress")
        sinks.html(f"progress report ({who})", client.get(page, query), shown=True)  # communes, courses
        sinks.html(f"practice report ({who})", client.get(reverse("reports_practice"), query), shown=True)
        sinks.html(
            f"practice report, scenarios ({who})",
            client.get(reverse("reports_practice"), query),
            scenario_payloads,
            shown=True,
        )
        labels = {}
        for slug in TABLES:
            rows = sinks.csv(f"CSV {slug} ({who})", client.get(reverse("reports_export", args=[slug]), query))
            labels[slug] = {row[0][1:] if row[0][1:] in TEXTS else row[0] for row in rows[1:]}
        for slug in ("khu-vuc", "ho-tro-khu-vuc", "thuc-hanh-khu-vuc", "khoa-hoc", "ho-tro-khoa-hoc"):
            assert labels[slug] >= TEXTS, f"{slug} ({who}) misses {TEXTS - labels[slug]}: nothing was tested"
        assert set(scenario_payloads) <= labels["thuc-hanh-bai"], f"thuc-hanh-bai ({who}) misses scenarios"
        sinks.html(f"live counts ({who})", client.get(reverse("reports_live")))
    sinks.html("progress report (national: provinces and courses)", national.get(reverse("reports_progress")))
    titles = {course.title for course in named_places["courses"]}
    live = sinks.json("live counts JSON (national)", national.get(reverse("reports_live_json")), titles)
    assert {MARKER.search(name).group() for name, _count in live["courses"]} == {
        MARKER.search(p).group() for p in PAYLOADS
    }, "the live feed does not list the courses (nothing was tested)"
    sinks.html("live counts (national: course titles)", national.get(reverse("reports_live")), shown=True)
    sinks.report()
    assert sinks.neutralised == FORMULA_MARKERS, f"formula payloads not seen neutralised: {sinks.neutralised}"
