"""Prepared reads (learning/prepared.py): built once, run with new values, the same rows and the
same SQL as the queryset they stand for."""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from learning.models import Commune, Province, User
from learning.prepared import PreparedRead

pytestmark = pytest.mark.django_db


def communes(province, first_code):
    return (
        Commune.objects.select_related("province")
        .defer("division_type")
        .filter(province_id=province, code__gte=first_code)
        .order_by("code")[:3]
    )


def some_communes(count=4):
    return list(Commune.objects.order_by("code").select_related("province")[: count * 40 : 40])


def run_and_capture(read, **values):
    with CaptureQueriesContext(connection) as captured:
        rows = read.all(**values)
    return rows, [query["sql"] for query in captured.captured_queries]


def test_model_rows_are_those_of_the_queryset_with_related_and_deferred_fields_as_there():
    read = PreparedRead(communes, province=int, first_code=int)
    for commune in some_communes():
        expected = list(communes(commune.province_id, commune.code))
        with CaptureQueriesContext(connection) as plain:
            list(communes(commune.province_id, commune.code))
        rows, sql = run_and_capture(read, province=commune.province_id, first_code=commune.code)
        assert rows == expected and rows[0].code == commune.code
        assert sql == [plain.captured_queries[0]["sql"]]  # the very SQL, with these values
        with CaptureQueriesContext(connection) as after:
            names = [(row.name, row.province.name) for row in rows]
        assert after.captured_queries == []  # the province came with the row
        assert names == [(row.name, row.province.name) for row in expected]
        assert "division_type" in rows[0].get_deferred_fields()


def test_the_query_is_built_twice_when_prepared_and_never_again():
    built = []

    def build(province, first_code):
        built.append((province, first_code))
        return communes(province, first_code)

    read = PreparedRead(build, province=int, first_code=int)
    for commune in some_communes():
        read.all(province=commune.province_id, first_code=commune.code)
    assert len(built) == 2 and all(province >= 30_000 for province, _code in built)  # stand-ins only


def test_values_lists_flat_and_named_and_values_dicts():
    commune = some_communes()[2]
    flat = PreparedRead(
        lambda province: (
            Commune.objects.filter(province_id=province).order_by("code").values_list("code", flat=True)
        ),
        province=int,
    )
    assert flat.all(province=commune.province_id) == list(
        Commune.objects.filter(province_id=commune.province_id)
        .order_by("code")
        .values_list("code", flat=True)
    )
    named = PreparedRead(
        lambda code: Commune.objects.filter(code=code).values_list("name", "province__name", named=True),
        code=int,
    )
    row = named.first(code=commune.code)
    assert (row.name, row.province__name) == (commune.name, commune.province.name)
    dicts = PreparedRead(lambda code: Commune.objects.filter(code=code).values("name"), code=int)
    assert dicts.all(code=commune.code) == [{"name": commune.name}]


def test_an_aggregate_and_a_string_value():
    province = Province.objects.order_by("code")[3]
    counted = PreparedRead(
        lambda name: (
            Province.objects.filter(name=name).annotate(n=Count("communes")).values_list("n", flat=True)
        ),
        name=str,
    )
    assert counted.first(name=province.name) == province.communes.count() > 0
    assert counted.first(name="Không có tỉnh này") is None


def test_a_value_that_matches_nothing_gives_no_row_and_the_same_value_twice_is_fine(learner):
    by_name = PreparedRead(
        lambda username, phone: User.objects.filter(username=username, phone=phone)[:1],
        username=str,
        phone=str,
    )
    assert by_name.first(username=learner.username, phone=learner.phone) == learner
    assert by_name.first(username=learner.username, phone=learner.username) is None
    assert by_name.first(username="khong-co", phone=learner.phone) is None
    same = PreparedRead(lambda name: User.objects.filter(username=name, first_name=name), name=str)
    User.objects.filter(pk=learner.pk).update(first_name=learner.username)
    assert same.all(name=learner.username) == [learner]


def test_only_the_values_named_and_of_their_kind(learner):
    read = PreparedRead(lambda learner: User.objects.filter(pk=learner), learner=int)
    assert read.first(learner=learner.pk) == learner
    with pytest.raises(TypeError, match="learner must be an int, not User"):
        read.all(learner=learner)  # a model instance is not silently turned into its id
    with pytest.raises(TypeError, match="learner must be an int, not str"):
        read.all(learner=str(learner.pk))
    with pytest.raises(TypeError, match="exactly"):
        read.all(learner=learner.pk, other=1)
    with pytest.raises(TypeError, match="exactly"):
        read.all()
    with pytest.raises(ImproperlyConfigured, match="int or str"):
        PreparedRead(lambda when: User.objects.filter(date_joined=when), when=object)


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda name: User.objects.filter(username__contains=name), "rewrites its value"),
        (
            lambda name: (
                User.objects.filter(username=name) if "-0-" in name else User.objects.filter(email=name)
            ),
            "depends",
        ),
        (lambda name: User.objects.filter(username=name).none(), "no SQL"),
        (lambda name: User.objects.filter(username="x"), "never reach"),
        (lambda name: User.objects.filter(username=name).select_for_update(), "lock"),
        (lambda name: User.objects.filter(username=name).prefetch_related("groups"), "prefetch"),
        (lambda name: User.objects.filter(is_active=True).exclude(username=name), "only filters"),
        (lambda name: User.objects.filter(~Q(username=name) | Q(phone=name)), "only filters"),
        (lambda name: [name], "QuerySet"),
    ],
    ids=["contains", "branch", "none", "unused", "lock", "prefetch", "exclude", "not-q", "not-a-queryset"],
)
def test_what_cannot_be_prepared_is_refused_when_first_used(build, reason):
    read = PreparedRead(build, name=str)
    with pytest.raises(ImproperlyConfigured, match=reason):
        read.all(name="a")


def test_rows_are_fresh_objects_each_time(learner):
    read = PreparedRead(lambda learner: User.objects.filter(pk=learner), learner=int)
    first, second = read.first(learner=learner.pk), read.first(learner=learner.pk)
    assert first == second and first is not second
    User.objects.filter(pk=learner.pk).update(username="doi-ten")
    assert read.first(learner=learner.pk).username == "doi-ten"  # read again, not remembered


def test_an_id_too_big_for_any_column_matches_no_row_without_a_query(learner):
    read = PreparedRead(lambda learner: User.objects.filter(pk=learner), learner=int)
    assert read.all(learner=learner.pk) == [learner]
    with CaptureQueriesContext(connection) as captured:
        assert read.all(learner=10**30) == [] == read.all(learner=-(2**63) - 1)
    assert captured.captured_queries == []
    assert read.all(learner=2**63 - 1) == []  # the largest that can be asked is asked


def test_each_thread_runs_on_its_own_connection():
    commune = some_communes()[1]
    read = PreparedRead(
        lambda code: Commune.objects.filter(code=code).values_list("name", flat=True), code=int
    )
    assert read.first(code=commune.code) == commune.name  # prepared on this thread's connection
    found = []

    def elsewhere():
        try:
            found.append((read.first(code=commune.code), connection.queries_log is not None))
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert found == [(commune.name, True)]


@pytest.mark.parametrize(
    "url",
    [
        "/bai-kiem-tra/{n}/",
        "/bai-lam/{n}/",
        "/bai-lam/{n}/ket-qua/",
        "/thuc-hanh/luot/{n}/",
    ],
)
@pytest.mark.parametrize("n", [0, 2**31, 10**30])
def test_pages_read_through_prepared_reads_answer_any_id_with_not_found(learner_client, url, n):
    assert learner_client.get(url.format(n=n)).status_code == 404


@pytest.mark.parametrize("n", [0, 2**31, 10**30])
def test_the_autosave_of_an_attempt_that_does_not_exist_is_not_found(learner_client, n):
    assert learner_client.post(f"/bai-lam/{n}/cau/1/", {"q1": "1"}).status_code == 404
    assert learner_client.post(f"/bai-lam/1/cau/{n}/", {"q1": "1"}).status_code == 404
