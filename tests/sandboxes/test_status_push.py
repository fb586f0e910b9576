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
