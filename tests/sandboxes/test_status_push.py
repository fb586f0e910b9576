"""A practice dossier's status changes reach open pages over the socket (DESIGN §4)."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from courses.models import Scenario
from learning import sandboxes
from tests.learning.test_live_socket import communicator, session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    yield
    await sync_to_async(connections.close_all)()


def submitted_run(learner):
    scenario = Scenario.objects.create(
        slug="theo-doi",
        title="Theo dõi",
        summary="Nộp rồi theo dõi.",
        steps=[
            ("declare_submit", {"agency_code": "H15.50", "declaration": "Tôi cam đoan."}),
            ("track_status", {"timeline": [{"status": "Đã tiếp nhận", "after_seconds": 1, "note": ""}]}),
        ],
    )
    run = sandboxes.start_run(learner, scenario)
    sandboxes.submit_step(run, 0, {"cam_doan": "1"})
    return run


async def test_an_open_page_hears_the_next_status_of_a_filed_dossier(learner):
    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from() == {"type": "hello"}
    run = await sync_to_async(submitted_run)(learner)  # filing it re-arms this socket's timers
    message = await socket.receive_json_from(timeout=5)
    code = await sync_to_async(lambda: sandboxes.latest_dossier(run).code)()
    assert (
        message["kind"] == "dossier-status"
        and code in message["title"]
        and "Đã tiếp nhận" in message["title"]
    )
    assert message["url"] == f"/thuc-hanh/luot/{run.pk}/"
    await socket.disconnect()


def supplement_requested_run(learner):
    scenario = Scenario.objects.create(
        slug="bo-sung",
        title="Bổ sung",
        summary="Nộp, bị yêu cầu bổ sung, bổ sung.",
        steps=[
            ("declare_submit", {"agency_code": "H15.50", "declaration": "Tôi cam đoan."}),
            (
                "track_status",
                {
                    "timeline": [
                        {"status": "Yêu cầu bổ sung hồ sơ", "after_seconds": 1, "note": "Ảnh mờ."},
                        {"status": "Đang xử lý", "after_seconds": 1, "note": ""},
                    ]
                },
            ),
            (
                "supplement",
                {
                    "agency": "UBND xã",
                    "reason": "Ảnh mờ.",
                    "document": {"name": "Giấy chứng sinh", "in_store": False, "good_sample": "Bản rõ"},
                },
            ),
            ("track_status", {"timeline": []}),
        ],
    )
    run = sandboxes.start_run(learner, scenario)
    sandboxes.submit_step(run, 0, {"cam_doan": "1"})
    return run


async def test_the_status_after_a_supplement_is_pushed_once_the_learner_supplements(learner):
    from django.http import QueryDict

    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected and await socket.receive_json_from() == {"type": "hello"}
    run = await sync_to_async(supplement_requested_run)(learner)
    asked = await socket.receive_json_from(timeout=5)
    assert "Yêu cầu bổ sung hồ sơ" in asked["title"]
    assert await socket.receive_nothing(timeout=2)  # what follows waits for the learner

    def look_up_and_supplement():
        run.refresh_from_db()
        code = sandboxes.latest_dossier(run).code
        sandboxes.submit_step(run, 1, QueryDict(f"ma_ho_so={code}"))
        sandboxes.submit_step(run, 2, QueryDict("giay_to_1=mau_1"))

    await sync_to_async(look_up_and_supplement)()
    resumed = await socket.receive_json_from(timeout=5)
    assert "Đang xử lý" in resumed["title"]
    await socket.disconnect()


def file_temporary_residence_through_http(learner):
    """The seeded temporary-residence scenario, the right answers only, up to its status look-up."""
    from django.test import Client
    from django.urls import reverse

    from courses.sandboxes.demo import load_scenarios
    from learning.models import SandboxRun
    from tests.sandboxes.test_runs import login_data, post_step, start

    load_scenarios()
    client = Client()
    client.force_login(learner)
    run = start(client, "dang-ky-tam-tru")
    answers = [
        login_data(run),
        {"thu_tuc": "Đăng ký tạm trú"},
        {},
        {"province": str(run.persona["province_code"]), "commune": str(run.persona["commune_code"])},
        {
            "noi_dung": "Đăng ký tạm trú",
            "tu_ngay": "1/12/2025",
            "quan_he_chu_ho": "Chủ hộ",
            "ly_do": "làm việc",
        },
    ]
    for data in answers:
        assert post_step(client, run, **data).status_code == 302, data
    page = client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    good = "mau_1" if page.index("bị mờ") > page.index("rõ nét") else "mau_2"
    for data in [{"giay_to_1": good}, {"cach_nhan": "dien_tu"}, {"cam_doan": "1"}]:
        assert post_step(client, run, **data).status_code == 302, data
    run = SandboxRun.objects.get(pk=run.pk)
    return client, run, sandboxes.latest_dossier(run)


async def test_a_seeded_dossier_status_arrives_live_and_a_plain_refresh_shows_the_same(learner):
    from datetime import timedelta

    from django.urls import reverse

    from learning.models import Dossier

    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected and await socket.receive_json_from() == {"type": "hello"}
    client, run, dossier = await sync_to_async(file_temporary_residence_through_http)(learner)
    first = await socket.receive_json_from(timeout=15)  # the time line's first change, at 10 s
    assert first["title"] == f"Hồ sơ {dossier.code}: Đã tiếp nhận"

    def look_up() -> str:
        from tests.sandboxes.test_runs import post_step

        return post_step(client, run, ma_ho_so=dossier.code).content.decode()

    assert "Đã tiếp nhận" in await sync_to_async(look_up)()  # what the push said, on the page

    def skip_ahead():
        # The time line is stored as timestamps: moving the filing back puts the result (45 s
        # after filing) a second from now, as if the learner had waited.
        from django.utils import timezone

        filed = timezone.now() - timedelta(seconds=44)
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=filed)
        sandboxes.refresh_timers(learner.pk)

    await sync_to_async(skip_ahead)()
    pushed = [await socket.receive_json_from(timeout=5)]
    while "Đã trả kết quả" not in pushed[-1]["title"]:
        pushed.append(await socket.receive_json_from(timeout=5))
    assert pushed[-1]["url"] == f"/thuc-hanh/luot/{run.pk}/"

    def refreshed() -> str:
        return client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()

    page = await sync_to_async(refreshed)()
    assert dossier.code in page and "Đã trả kết quả" in page
    await socket.disconnect()
