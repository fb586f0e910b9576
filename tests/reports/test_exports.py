"""CSV exports of report tables: streamed when small, prepared by the worker when large."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from learning.reports import exports
from learning.reports.pages import TABLES
from tests.reports.attack import assert_published_columns_resist_subtraction, read_csv
from tests.reports.conftest import admin_client_for


def export(client, slug: str, params=None) -> list[list[str]]:
    response = client.get(reverse("reports_export", args=[slug]), params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="bao-cao-{slug}-')
    return read_csv(b"".join(response.streaming_content))


def test_place_export_matches_the_page_with_its_marks(world, manager_client):
    rows = export(manager_client, "khu-vuc")
    assert rows[0] == [
        "Tỉnh/thành phố",
        "Đăng ký",
        "Ghi danh",
        "Học xong các bài",
        "Đạt bài kiểm tra",
        "Được cấp chứng nhận",
    ]
    by_place = {row[0]: row[1:] for row in rows[1:]}
    assert by_place[world.p2.name] == ["< 5"] * 5
    assert by_place[world.p3.name] == ["x"] * 5
    assert by_place[world.hanoi.name] == ["16", "15", "13", "x", "x"]
    assert rows[-1] == ["Tổng", "26", "24", "20", "17", "16"]
    for value in ("3", "2", "1"):  # P2's true counts appear nowhere in its row
        assert value not in by_place[world.p2.name]


@pytest.mark.parametrize(
    "slug", ["khu-vuc", "doi-tuong", "do-tuoi", "ho-tro-khu-vuc", "thuc-hanh-bai", "lua-dao"]
)
def test_recovery_by_subtraction_fails_in_every_export(world, manager_client, slug):
    rows = export(manager_client, slug)
    assert_published_columns_resist_subtraction(rows)


def test_every_table_on_the_pages_can_be_exported(world, manager_client):
    for slug in TABLES:
        assert export(manager_client, slug)[0]


def test_exports_follow_the_filters(world, manager_client):
    rows = export(manager_client, "khu-vuc", {"province": world.hanoi.pk, "learner_group": "nguoi_dan"})
    by_place = {row[0]: row[1:] for row in rows[1:]}
    assert set(by_place) == {world.hoan_kiem.name, world.hanoi_other.name, "Tổng"}
    assert by_place["Tổng"] == ["12", "12", "11", "10", "9"]


def test_cells_that_look_like_formulas_are_neutralised(world, manager_client):
    world.course_b.title = '=HYPERLINK("http://lua-dao.example")'
    world.course_b.save_revision().publish()
    rows = export(manager_client, "khoa-hoc")
    assert ['\'=HYPERLINK("http://lua-dao.example")', "< 5", "0", "0", "0"] in rows


def test_unknown_tables_and_bad_filters_are_refused(world, manager_client):
    assert manager_client.get(reverse("reports_export", args=["khong-co"])).status_code == 404
    bad = manager_client.get(reverse("reports_export", args=["khu-vuc"]), {"date_from": "hôm qua"})
    assert bad.status_code == 400


# --- large exports: the worker ------------------------------------------------------------------


@pytest.fixture
def large_exports(settings, tmp_path):
    settings.REPORT_EXPORT_DIRECT_MAX_LEARNERS = 10  # the world has 26 learners
    settings.REPORT_EXPORT_DIR = tmp_path / "exports"
    return tmp_path / "exports"


# Transactional: the worker closes the connection; flushing would drop the migrated places.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_export_is_prepared_by_the_worker_and_handed_to_its_official_only(
    world, manager, client, large_exports, django_user_model
):
    manager_client = admin_client_for(client, manager)
    url = reverse("reports_export", args=["khu-vuc"])
    response = manager_client.get(url, {"learner_group": "nguoi_dan"})  # 15 learners: still large
    assert response.status_code == 302
    status_url = response.url
    waiting = manager_client.get(status_url)
    assert "đang được chuẩn bị" in waiting.content.decode()
    assert not waiting.context["ready"]
    result_id = waiting.context["result"].id
    assert manager_client.get(reverse("reports_export_file", args=[result_id])).status_code == 404

    call_command("run_worker", batch=True, verbosity=0)

    ready = manager_client.get(status_url)
    assert ready.context["ready"]
    file_url = reverse("reports_export_file", args=[result_id])
    assert file_url in ready.content.decode()
    download = manager_client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="bao-cao-khu-vuc-')
    rows = read_csv(b"".join(download.streaming_content))
    assert rows[-1] == ["Tổng", "15", "14", "12", "11", "10"]
    assert_published_columns_resist_subtraction(rows)
    assert [path.parent for path in large_exports.glob("*.csv")] == [large_exports]

    # Another manager cannot see it, nor can anyone without the report permission.
    other = django_user_model.objects.create(username="quanlykhac")
    other.groups.set(manager.groups.all())
    manager_client.logout()
    other_client = admin_client_for(client, other)
    assert other_client.get(status_url).status_code == 404
    assert other_client.get(file_url).status_code == 404


def test_the_worker_applies_the_officials_scope_again(world, scoped_manager, large_exports):
    details = exports.export_for(scoped_manager.pk, "khu-vuc", {"province": str(world.p3.pk)})
    path = exports.export_path(details["file"])
    content = path.read_text(encoding="utf-8")
    assert world.hoan_kiem.name in content and world.c3.name not in content


def test_small_exports_stream_directly(world, manager_client, settings, tmp_path):
    settings.REPORT_EXPORT_DIR = tmp_path
    response = manager_client.get(reverse("reports_export", args=["khu-vuc"]), {"province": world.p2.pk})
    assert response.status_code == 200  # 3 learners, far under the threshold
    assert list(tmp_path.iterdir()) == []


def test_old_export_files_are_removed(tmp_path):
    old = tmp_path / ("a" * 32 + ".csv")
    old.write_text("x")
    exports.remove_old_exports(tmp_path, now=old.stat().st_mtime + exports.KEEP_FILES_SECONDS + 1)
    assert not old.exists()
    assert exports.export_path("../../etc/passwd") is None
