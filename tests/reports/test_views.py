"""The report pages in the admin: numbers, suppression, scope, permissions, query counts."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from courses.models import Scenario
from learning.models import Dossier, Enrollment, SandboxRun, StepRecord, User
from learning.roles import MANAGERS
from tests.courses.builders import build_course
from tests.reports.attack import assert_published_columns_resist_subtraction, values_by_subtraction
from tests.reports.conftest import admin_client_for, backdate, make_learner
from tests.reports.test_exports import export

PROGRESS = "reports_progress"
PRACTICE = "reports_practice"


def table_text(table) -> list[list[str]]:
    rows = [table.headings] + [[label, *(cell.text() for cell in cells)] for label, cells in table.body]
    if table.footer:
        rows.append([table.footer[0], *(cell.text() for cell in table.footer[1])])
    return rows


def html_row(content: str, label: str) -> list[str]:
    match = re.search(rf'<th scope="row">{re.escape(escape(label))}</th>(.*?)</tr>', content, re.S)
    assert match, label
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))]


# --- numbers and suppression ----------------------------------------------------------------------


def test_manager_sees_the_funnel(world, manager_client):
    response = manager_client.get(reverse(PROGRESS))
    assert response.status_code == 200
    steps = response.context["funnel_steps"]
    assert [cell.text() for _label, cell, _rate in steps] == ["26", "24", "20", "17", "16"]
    assert [rate for _label, _cell, rate in steps] == [None, "92%", "83%", "85%", "94%"]
    content = response.content.decode()
    assert 'role="img"' in content and "<title id=" in content and "<desc id=" in content
    assert html_row(content, world.hanoi.name) == ["16", "15", "13", "x", "x"]


def test_small_counts_are_marked_on_the_page_and_cannot_be_recovered(world, manager_client):
    response = manager_client.get(reverse(PROGRESS))
    content = response.content.decode()
    # P2 has 3, 2, 1, 1, 1: never printed, only "< 5".
    assert html_row(content, world.p2.name) == ["&lt; 5"] * 5
    # P3 (7, 7, 6, 5, 5) is the complementary partner: hidden with another mark.
    assert html_row(content, world.p3.name) == ["x"] * 5
    tables = response.context["tables"]
    for table in tables.values():
        if table.footer is not None:
            assert_published_columns_resist_subtraction(table_text(table))
    # Tables splitting the same learners publish the same totals.
    footers = {
        tuple(cell.text() for cell in tables[name].footer[1]) for name in ("khu_vuc", "doi_tuong", "do_tuoi")
    }
    assert footers == {("26", "24", "20", "17", "16")}


def equations_between_tables(tables) -> list[tuple[list, object]]:
    """The sums a reader can form across the progress page's tables, wherever they hold in the
    data (a reader may guess any of them): a stage's months or courses add up to the funnel's
    total; a place's or a course's completions are its certified learners."""
    place, courses, months = tables["khu_vuc"], tables["khoa_hoc"], tables["theo_thang"]
    by_place, by_course = tables["ho_tro_khu_vuc"], tables["ho_tro_khoa_hoc"]
    totals = dict(zip(place.data.columns, place.footer[1], strict=False))
    equations = []
    for table in (months, courses):
        for column in table.data.columns:
            cells = [table.data.cell(row, column) for row in table.data.rows]
            equations.append((cells, totals[column]))
    for table, certified in ((by_place, place), (by_course, courses)):
        for row in table.data.rows:
            cells = [table.data.cell(row, column) for column in table.data.columns]
            equations.append((cells, certified.data.cell(row, "certified")))
        if table is by_place:
            equations.append((list(table.data.row_totals.values()), totals["certified"]))
    return [(cells, total) for cells, total in equations if sum(c.value for c in cells) == total.value]


def assert_nothing_recoverable_across_tables(tables) -> int:
    equations = equations_between_tables(tables)
    for cells, total in equations:
        if total.hidden:
            assert not all(not cell.hidden for cell in cells), ("the hidden total is the sum", cells, total)
            continue
        assert sum(cell.hidden for cell in cells) != 1, (cells, total)
        for values in values_by_subtraction(cells, total).values():
            assert len(values) >= 2, (cells, total)
    return len(equations)


def test_a_small_month_cannot_be_worked_out_from_the_periods_total(world, manager_client):
    today = timezone.localdate()
    for _n in range(3):
        learner = make_learner(world.c2, "citizen", today.year - 40)
        backdate(learner, timezone.now() - timezone.timedelta(days=75), registration_only=True)

    response = manager_client.get(
        reverse(PROGRESS), {"date_from": (today - timezone.timedelta(days=120)).isoformat()}
    )

    tables = response.context["tables"]
    small = [cells[0] for _label, cells in tables["theo_thang"].body if cells[0].value == 3]
    assert small and small[0].hidden
    assert assert_nothing_recoverable_across_tables(tables) > 0


def test_a_small_course_cannot_be_worked_out_from_the_funnels_total(world, manager_client):
    Enrollment.objects.filter(course=world.course_b).delete()
    for _n in range(3):
        Enrollment.objects.create(learner=make_learner(world.c2, "citizen", 1980), course=world.course_b)

    tables = manager_client.get(reverse(PROGRESS)).context["tables"]

    course_b = tables["khoa_hoc"].data.cell(world.course_b.pk, "enrolled")
    assert course_b.value == 3 and course_b.hidden
    enrolled_total = dict(zip(tables["khu_vuc"].data.columns, tables["khu_vuc"].footer[1], strict=False))[
        "enrolled"
    ]
    assert sum(
        tables["khoa_hoc"].data.cell(row, "enrolled").value for row in tables["khoa_hoc"].data.rows
    ) == (enrolled_total.value)  # the equation a reader would use holds here
    assert assert_nothing_recoverable_across_tables(tables) > 0
    csv_rows = export(manager_client, "khoa-hoc")
    assert [row[1] for row in csv_rows if row[0] == world.course_b.title] == ["< 5"]


def test_assisted_completions_resist_subtraction_by_rows_columns_and_the_funnel(
    world, manager_client, facilitator
):
    from learning.models import AssistedMark, LearningClass
    from tests.reports.attack import assert_no_cell_recoverable_by_subtraction

    learning_class = LearningClass.objects.create(
        facilitator=facilitator, name="Lớp thử", place="Nhà văn hoá", province=world.hanoi,
        commune=world.hoan_kiem, meets_on=timezone.localdate(), join_code="ABC235",
    )  # fmt: skip
    for learner in world.learners["hk_citizens"][:2] + world.learners["p3"][:4]:
        AssistedMark.objects.create(
            learner=learner, learning_class=learning_class, course=world.course_a, marked_by=facilitator
        )

    tables = manager_client.get(reverse(PROGRESS)).context["tables"]

    by_place = tables["ho_tro_khu_vuc"]
    assert by_place.data.cell(world.hanoi.pk, "assisted").text() == "< 5"
    for table in tables.values():
        assert_no_cell_recoverable_by_subtraction(table.data)  # rows, columns and grand totals
    assert assert_nothing_recoverable_across_tables(tables) > 0


def test_bars_and_trend_points_are_not_drawn_for_hidden_numbers(world, manager_client):
    response = manager_client.get(reverse(PROGRESS))
    chart = str(response.context["place_chart"])
    assert chart.count("<rect") == 1  # Hà Nội only; P2 and P3 show their marks as text
    assert "&lt; 5</text>" in chart and ">x</text>" in chart


def test_drilling_into_a_province_lists_its_communes(world, manager_client):
    response = manager_client.get(reverse(PROGRESS), {"province": world.hanoi.pk})
    table = response.context["tables"]["khu_vuc"]
    assert [label for label, _cells in table.body] == sorted([world.hoan_kiem.name, world.hanoi_other.name])
    assert [cell.text() for cell in table.footer[1]] == ["16", "15", "13", "11", "10"]


def test_filters_on_the_page(world, manager_client):
    today = timezone.localdate()
    response = manager_client.get(
        reverse(PROGRESS),
        {"date_from": (today - timezone.timedelta(days=30)).isoformat(), "date_to": today.isoformat()},
    )
    assert [cell.text() for _label, cell, _rate in response.context["funnel_steps"]] == [
        "18",
        "17",
        "14",
        "12",
        "11",
    ]
    response = manager_client.get(reverse(PROGRESS), {"learner_group": "nguoi_dan", "age_band": "60-tro-len"})
    assert [cell.text() for _label, cell, _rate in response.context["funnel_steps"]] == [
        "12",
        "12",
        "11",
        "10",
        "9",
    ]


def test_a_bad_filter_is_explained_and_nothing_is_filtered(world, manager_client):
    response = manager_client.get(reverse(PROGRESS), {"date_from": "2025-05-02", "date_to": "2025-05-01"})
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert response.context["funnel_steps"][0][1].text() == "26"


def test_practice_page_counts_runs_and_scam_drills(world, manager_client):
    scenario = Scenario.objects.create(title="Đăng ký khai sinh", slug="khai-sinh", summary="Thử")
    scam = Scenario.objects.create(title="Tin nhắn giả", slug="tin-nhan-gia", summary="Thử", look="phone")
    now = timezone.now()

    def run(learner, sc, *, done=True, mistakes=0, hints=0, supplemented=False):
        item = SandboxRun.objects.create(
            learner=learner, scenario=sc, persona={}, steps=[], mistakes=mistakes, hints_shown=hints,
            state="completed" if done else "in_progress", completed_at=now if done else None,
        )  # fmt: skip
        if supplemented:
            Dossier.objects.create(
                run=item,
                agency_code="UBND",
                received_on=now.date(),
                sequence=1,
                submitted_at=now,
                supplemented_at=now,
            )
        return item

    citizens = world.learners["hk_citizens"] + world.learners["hanoi_other"]
    for learner in citizens[:6]:
        run(learner, scenario)  # first time right, no hints
    run(citizens[6], scenario, hints=2)
    run(citizens[7], scenario, supplemented=True)
    run(citizens[8], scenario, mistakes=1, hints=1)
    run(citizens[9], scenario, done=False)
    for i, learner in enumerate(world.learners["p3"][:6]):
        record = run(learner, scam, mistakes=int(i == 0))
        StepRecord.objects.create(
            run=record,
            step_index=0,
            kind="scam_drill",
            first_seen_at=now,
            completed_at=now,
            mistakes=int(i == 0),
        )

    response = manager_client.get(reverse(PRACTICE))
    assert response.status_code == 200
    tables = response.context["tables"]
    by_scenario = {label: [cell.text() for cell in cells] for label, cells in tables["thuc_hanh_bai"].body}
    assert by_scenario == {
        "Đăng ký khai sinh": ["10", "9", "7", "7"],  # hints do not spoil "first time right"
        "Tin nhắn giả": ["6", "6", "6", "5"],
    }
    assert [cell.text() for cell in tables["lua_dao"].body[0][1]] == ["6", "6", "5"]
    assert "course" not in response.context["form"].fields
    for table in tables.values():
        assert_published_columns_resist_subtraction(table_text(table))


# --- scope and permissions ------------------------------------------------------------------------


def test_a_scoped_manager_sees_only_their_province(world, scoped_client):
    response = scoped_client.get(reverse(PROGRESS))
    table = response.context["tables"]["khu_vuc"]
    assert {label for label, _cells in table.body} == {world.hoan_kiem.name, world.hanoi_other.name}
    assert [cell.text() for cell in table.footer[1]] == ["16", "15", "13", "11", "10"]
    assert response.context["place_name"] == world.hanoi.name


@pytest.mark.parametrize("asked", ["p3", "nowhere", "commune_elsewhere"])
def test_a_scoped_manager_cannot_ask_for_another_province_by_url(world, scoped_client, asked):
    params = {
        "p3": {"province": world.p3.pk},
        "nowhere": {"province": ""},
        "commune_elsewhere": {"province": world.hanoi.pk, "commune": world.c3.pk},
    }[asked]
    response = scoped_client.get(reverse(PROGRESS), params)
    assert response.status_code == 200
    table = response.context["tables"]["khu_vuc"]
    assert {label for label, _cells in table.body} == {world.hoan_kiem.name, world.hanoi_other.name}
    assert world.p3.name not in {label for label, _cells in table.body}
    assert [cell.text() for _label, cell, _rate in response.context["funnel_steps"]] == [
        "16",
        "15",
        "13",
        "11",
        "10",
    ]
    export = scoped_client.get(reverse("reports_export", args=["khu-vuc"]), params)
    if asked == "nowhere":  # no province asked: their own
        assert export.status_code == 200
        assert world.p3.name not in b"".join(export.streaming_content).decode()
    else:
        assert export.status_code == 400


def test_a_scoped_manager_exports_only_their_province(world, scoped_client):
    response = scoped_client.get(reverse("reports_export", args=["khu-vuc"]))
    content = b"".join(response.streaming_content).decode()
    assert world.hoan_kiem.name in content and world.hanoi_other.name in content
    assert world.p2.name not in content and world.c3.name not in content
    scope_choices = [
        value
        for value, _label in scoped_client.get(reverse(PROGRESS)).context["form"].fields["province"].choices
    ]
    assert scope_choices == [world.hanoi.pk]


def staff_editor() -> User:
    user = User.objects.create(username="bientap", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.parametrize("who", ["anonymous", "learner", "facilitator", "editor"])
@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse(PROGRESS),
        lambda: reverse(PRACTICE),
        lambda: reverse("reports_export", args=["khu-vuc"]),
    ],
)
def test_only_those_who_may_read_reports_get_them(client, learner, facilitator, who, url):
    if who == "learner":
        client.force_login(learner)
    elif who == "facilitator":
        client.force_login(facilitator)
    elif who == "editor":
        admin_client_for(client, staff_editor())
    response = client.get(url())
    assert response.status_code in (302, 403)
    if who == "editor":  # Wagtail turns PermissionDenied into a redirect to the dashboard, with a message
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert b"report-table" not in response.content


def test_superusers_read_reports(world, official_client):
    assert official_client.get(reverse(PROGRESS)).status_code == 200


def test_the_reports_menu_shows_only_to_managers(world, manager_client, client):
    content = manager_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(PROGRESS) in content and reverse(PRACTICE) in content
    manager_client.logout()
    admin_client_for(client, staff_editor())
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(PROGRESS) not in content


# --- queries --------------------------------------------------------------------------------------


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_provinces_courses_or_learners(world, manager_client):
    from learning.models import Commune, Province

    manager_client.get(reverse(PROGRESS))  # warm caches (content types, site root)
    manager_client.get(reverse(PRACTICE))
    before = {url: count_queries(manager_client, reverse(url)) for url in (PROGRESS, PRACTICE)}
    before_hanoi = count_queries(manager_client, reverse(PROGRESS), {"province": world.hanoi.pk})

    more_courses = [build_course(modules=1, lessons_per_module=1) for _ in range(3)]
    for province in Province.objects.exclude(pk__in=[world.hanoi.pk, world.p2.pk, world.p3.pk])[:8]:
        commune = Commune.objects.filter(province=province).first()
        for _ in range(3):
            learner = make_learner(commune, "nguoi_dan", 1970)
            for course in more_courses:
                Enrollment.objects.create(learner=learner, course=course)
    for commune in Commune.objects.filter(province=world.hanoi).exclude(pk=world.hoan_kiem.pk)[:5]:
        make_learner(commune, "nguoi_dan", 1980)

    manager_client.get(reverse(PROGRESS))  # new pages: what is remembered of the tree is read again
    after = {url: count_queries(manager_client, reverse(url)) for url in (PROGRESS, PRACTICE)}
    assert after == before
    assert count_queries(manager_client, reverse(PROGRESS), {"province": world.hanoi.pk}) == before_hanoi
    assert before[PROGRESS] <= 40, before


def test_manager_group_carries_the_report_permission(manager):
    assert Group.objects.get(name=MANAGERS).permissions.filter(codename="view_reports").exists()


def test_dates_out_of_range_are_refused_not_crashed(world, manager_client):
    response = manager_client.get(reverse(PROGRESS), {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert (
        manager_client.get(
            reverse("reports_export", args=["theo-thang"]), {"date_from": "0001-01-01"}
        ).status_code
        == 400
    )
