"""Sandbox runs through HTTP, as a learner without JavaScript would take them."""

import re
from datetime import UTC, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.models import Scenario
from courses.sandboxes.demo import load_scenarios
from courses.sandboxes.kinds.vneid_login import otp_purpose
from courses.sandboxes.personas import one_time_code
from learning.models import Dossier, RunState, SandboxRun, StepRecord
from learning.signals import sandbox_run_completed
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db
REAL_LOOKING_ID = "001084000999"


def start(client, slug) -> SandboxRun:
    response = client.post(reverse("learning:sandbox_start", args=[slug]))
    assert response.status_code == 302
    return SandboxRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def post_step(client, run, **data):
    run.refresh_from_db()
    return client.post(reverse("learning:sandbox_run", args=[run.pk]), {"buoc": str(run.step_index), **data})


def login_data(run) -> dict:
    run.refresh_from_db()
    persona = run.persona
    from courses.sandboxes.personas import persona_from

    otp = one_time_code(persona_from(persona), otp_purpose({"step_index": run.step_index}))
    return {"so_dinh_danh": persona["id_number"], "mat_khau": persona["password"], "otp": otp}


def test_login_and_personal_data_scenario_end_to_end(
    learner, learner_client, scenarios, django_capture_on_commit_callbacks
):
    run = start(learner_client, "dang-nhap-dich-vu-cong")
    page = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "Môi trường thực hành" in page and run.persona["id_number"] in page and "Bước 1/3" in page
    assert post_step(learner_client, run).status_code == 302  # the info screen
    # The OTP is on the mock phone; a real-looking ID number is refused and never kept or echoed.
    page = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert login_data(run)["otp"] in page
    refused = post_step(learner_client, run, **{**login_data(run), "so_dinh_danh": REAL_LOOKING_ID})
    html = refused.content.decode()
    assert refused.status_code == 200 and "số định danh thật" in html and REAL_LOOKING_ID not in html
    received = []
    sandbox_run_completed.connect(
        lambda sender, run, learner, **kw: received.append(run.pk), weak=False, dispatch_uid="t1"
    )
    try:
        assert post_step(learner_client, run, **login_data(run)).status_code == 302
        page = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
        assert run.persona["full_name"] in page and "readonly" in page
        with django_capture_on_commit_callbacks(execute=True):
            assert post_step(learner_client, run, ho_ten="Tên khác").status_code == 302
    finally:
        sandbox_run_completed.disconnect(dispatch_uid="t1")
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.mistakes == 1 and received == [run.pk]
    done = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "Bạn đã làm xong bài thực hành" in done
    assert StepRecord.objects.filter(run=run, completed_at__isnull=False).count() == 3
    for stored in (str(run.kept), str(list(StepRecord.objects.values()))):
        assert REAL_LOOKING_ID not in stored


def test_temporary_residence_with_its_wrong_paths(learner_client, scenarios):
    run = start(learner_client, "dang-ky-tam-tru")
    post_step(learner_client, run, **login_data(run))
    # Search, then a wrong procedure, then the right one.
    searched = post_step(learner_client, run, tim="1", tu_khoa="tam tru").content.decode()
    assert "Đăng ký thường trú" in searched and "Tìm thấy 4 thủ tục" in searched
    wrong = post_step(learner_client, run, thu_tuc="Đăng ký thường trú").content.decode()
    assert "đọc kỹ tên từng thủ tục" in wrong
    assert post_step(learner_client, run, thu_tuc="Đăng ký tạm trú").status_code == 302
    detail = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "7.000 đồng" in detail and "Mức tham khảo" in detail and "Thông tư 75/2022/TT-BTC" in detail
    assert post_step(learner_client, run).status_code == 302
    # The wrong agency, then the persona's own.
    other_province = 79 if run.persona["province_code"] != 79 else 1
    wrong = post_step(learner_client, run, province=str(other_province)).content.decode()
    assert run.persona["province_name"] in wrong
    no_commune = post_step(learner_client, run, province=str(run.persona["province_code"])).content.decode()
    assert "Hãy chọn xã, phường" in no_commune and run.persona["commune_name"] in no_commune
    right = {"province": str(run.persona["province_code"]), "commune": str(run.persona["commune_code"])}
    assert post_step(learner_client, run, **right).status_code == 302
    # The form: a missing field and a malformed date, then all right.
    form = {
        "noi_dung": "Đăng ký tạm trú",
        "tu_ngay": "1/12/2025",
        "quan_he_chu_ho": "Chủ hộ",
        "ly_do": "làm việc",
    }
    missing = post_step(learner_client, run, **{**form, "ly_do": ""}).content.decode()
    assert "Trường này bắt buộc nhập" in missing and 'value="1/12/2025"' in missing
    malformed = post_step(learner_client, run, **{**form, "tu_ngay": "ngày mai"}).content.decode()
    assert "ngày/tháng/năm" in malformed
    assert post_step(learner_client, run, **form).status_code == 302
    # Attachments: the blurry sample is refused, a device file is checked then thrown away.
    page = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    blurry = "mau_1" if page.index("bị mờ") < page.index("rõ nét") else "mau_2"
    assert "yêu cầu bổ sung" in post_step(learner_client, run, giay_to_1=blurry).content.decode()
    fake = SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert (
        "PDF, JPG hoặc PNG"
        in post_step(learner_client, run, giay_to_1="tai_len", tep_1=fake).content.decode()
    )
    assert "Kho dữ liệu" in post_step(learner_client, run, giay_to_1="kho").content.decode()
    real = SimpleUploadedFile("hop-dong.pdf", b"%PDF-1.7 practice", content_type="application/pdf")
    assert post_step(learner_client, run, giay_to_1="tai_len", tep_1=real).status_code == 302
    run.refresh_from_db()
    assert "practice" not in str(run.kept) and run.kept[str(run.step_index - 1)]["attached"] == {
        "giay_to_1": "tai_len"
    }
    assert "chọn bản điện tử" in post_step(learner_client, run, cach_nhan="truc_tiep").content.decode()
    assert post_step(learner_client, run, cach_nhan="dien_tu").status_code == 302
    review = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "làm việc" in review
    assert "cam đoan" in post_step(learner_client, run).content.decode()
    submitted = post_step(learner_client, run, cam_doan="1")
    dossier = Dossier.objects.get(run=run)
    assert re.fullmatch(r"H15\.50-\d{6}-0001", dossier.code)
    assert (
        dossier.code in learner_client.get(submitted["Location"]).content.decode()
    )  # told once, to note down
    # Tracking: a wrong code, then the right one before and after the result is returned.
    assert (
        "Không tìm thấy hồ sơ"
        in post_step(learner_client, run, ma_ho_so="H15.50-000000-0001").content.decode()
    )
    waiting = post_step(learner_client, run, ma_ho_so=dossier.code.lower()).content.decode()
    assert "Mới nộp" in waiting and "đợi một lát" in waiting and "Đã trả kết quả" not in waiting
    with time_machine.travel(dossier.submitted_at + timedelta(seconds=50), tick=False):
        reloaded = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
        assert "Đã trả kết quả" in reloaded  # the same on a plain refresh as in the live push
        assert post_step(learner_client, run, ma_ho_so=dossier.code).status_code == 302
    post_step(learner_client, run)
    done = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert dossier.code in done
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.mistakes >= 4


def test_paying_refuses_a_personal_payee_and_wants_the_exact_amount(learner_client, scenarios):
    run = start(learner_client, "nop-le-phi-giu-bien-lai")
    page = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "tài khoản cá nhân" in page and "22.000 đồng" in page
    paid = post_step(
        learner_client, run, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="22000", xac_nhan="1"
    )
    assert "Dừng lại!" in paid.content.decode()
    assert post_step(learner_client, run, quyet_dinh="tu_choi").status_code == 302
    # The real request: refusing it is not right either; then the amount must match the fee.
    assert "Bạn có thể thanh toán" in post_step(learner_client, run, quyet_dinh="tu_choi").content.decode()
    wrong = post_step(
        learner_client, run, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="70000", xac_nhan="1"
    )
    assert "7.000 đồng" in wrong.content.decode()
    unconfirmed = post_step(learner_client, run, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="7.000")
    assert "Xác nhận giao dịch" in unconfirmed.content.decode()
    assert (
        post_step(
            learner_client, run, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="7.000", xac_nhan="1"
        ).status_code
        == 302
    )
    assert "Hãy chọn một mức" in post_step(learner_client, run).content.decode()
    assert post_step(learner_client, run, muc_do="4", gop_y="Nhanh").status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.kept["1"]["paid"] == 7000 and run.kept["2"]["rating"] == 4
    done = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert run.kept["1"]["receipt"] in done


def test_scam_drill_with_the_unsafe_action_chosen(learner_client, scenarios):
    run = start(learner_client, "cuoc-goi-cong-an-gia")
    unsafe = post_step(learner_client, run, dau_hieu=["1", "2"], hanh_dong="1").content.decode()
    assert "Không an toàn" in unsafe
    assert post_step(learner_client, run, dau_hieu=["1", "2", "4"], hanh_dong="2").status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.mistakes == 1
    assert run.kept["0"]["safe"] is True and run.kept["0"]["spotted"] == 3


def test_replayed_or_tampered_step_numbers_change_nothing(learner_client, scenarios):
    run = start(learner_client, "dang-nhap-dich-vu-cong")
    post_step(learner_client, run)
    for step in ("0", "2", "99", "-1", "x"):
        response = learner_client.post(reverse("learning:sandbox_run", args=[run.pk]), {"buoc": step})
        assert response.status_code == 302
    run.refresh_from_db()
    assert run.step_index == 1 and run.mistakes == 0
    followed = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "Bước 2/3" in followed and "Bước đó đã xong hoặc chưa tới" in followed


def test_a_dossier_filed_twice_by_a_double_tap_is_filed_once(learner_client, scenarios):
    run = start(learner_client, "dang-ky-tam-tru")
    while run.steps[run.step_index]["type"] != "declare_submit":
        answers = {
            "vneid_login": lambda: login_data(run),
            "search_procedure": lambda: {"thu_tuc": "Đăng ký tạm trú"},
            "choose_agency": lambda: {
                "province": str(run.persona["province_code"]),
                "commune": str(run.persona["commune_code"]),
            },
            "eform": lambda: {
                "noi_dung": "Đăng ký tạm trú",
                "tu_ngay": "1/12/2025",
                "quan_he_chu_ho": "Chủ hộ",
                "ly_do": "làm việc",
            },
            "attach_documents": lambda: {
                "giay_to_1": "tai_len",
                "tep_1": SimpleUploadedFile("a.pdf", b"%PDF-1.7"),
            },
            "choose_delivery": lambda: {"cach_nhan": "dien_tu"},
        }.get(run.steps[run.step_index]["type"], dict)()
        assert post_step(learner_client, run, **answers).status_code == 302
        run.refresh_from_db()
    step = run.step_index
    url = reverse("learning:sandbox_run", args=[run.pk])
    first = learner_client.post(url, {"buoc": str(step), "cam_doan": "1"})
    again = learner_client.post(url, {"buoc": str(step), "cam_doan": "1"})  # the same form, sent again

    assert first.status_code == again.status_code == 302
    assert Dossier.objects.filter(run=run).count() == 1
    run.refresh_from_db()
    assert run.step_index == step + 1 and run.mistakes == 0
    assert "Bước đó đã xong hoặc chưa tới" in learner_client.get(url).content.decode()


def test_without_javascript_listing_the_communes_is_not_an_answer(learner_client, scenarios):
    run = start(learner_client, "dang-ky-tam-tru")
    for data in (login_data(run), {"thu_tuc": "Đăng ký tạm trú"}, {}):
        assert post_step(learner_client, run, **data).status_code == 302
    province = str(run.persona["province_code"])

    listed = post_step(learner_client, run, province=province, refresh_communes="1")

    page = listed.content.decode()
    assert listed.status_code == 200 and run.persona["commune_name"] in page
    assert f'value="{run.persona["commune_code"]}"' in page and "Hãy chọn xã, phường" not in page
    run.refresh_from_db()
    assert run.mistakes == 0 and run.hints_shown == 0
    record = StepRecord.objects.get(run=run, step_index=run.step_index)
    assert record.mistakes == 0 and record.hints_shown == 0
    right = {"province": province, "commune": str(run.persona["commune_code"])}
    assert post_step(learner_client, run, **right).status_code == 302


def test_hints_and_mistakes_are_counted_per_step_and_for_the_run(learner_client, scenarios):
    run = start(learner_client, "dang-ky-tam-tru")
    post_step(learner_client, run, **{**login_data(run), "mat_khau": "sai", "otp": "000000"})  # 2 field hints
    post_step(learner_client, run, **login_data(run))
    post_step(learner_client, run, thu_tuc="Đăng ký thường trú")  # 1 hint

    run.refresh_from_db()
    assert (run.mistakes, run.hints_shown) == (2, 3)
    records = {r.step_index: r for r in StepRecord.objects.filter(run=run)}
    assert (records[0].mistakes, records[0].hints_shown) == (1, 2)
    assert (records[1].mistakes, records[1].hints_shown) == (1, 1)
    assert records[0].completed_at is not None and records[1].completed_at is None


def test_refused_form_values_are_shown_back_once_and_never_kept(learner_client, scenarios):
    run = start(learner_client, "dang-ky-tam-tru")
    for data in (login_data(run), {"thu_tuc": "Đăng ký tạm trú"}, {}):
        post_step(learner_client, run, **data)
    post_step(
        learner_client,
        run,
        province=str(run.persona["province_code"]),
        commune=str(run.persona["commune_code"]),
    )
    form = {
        "noi_dung": "Đăng ký tạm trú",
        "tu_ngay": "31/02/2025",
        "quan_he_chu_ho": "Chủ hộ",
        "ly_do": "làm việc",
    }

    shown = post_step(learner_client, run, **form).content.decode()

    assert 'value="31/02/2025"' in shown and "ngày/tháng/năm" in shown
    run.refresh_from_db()
    kept = run.kept[str(run.step_index)]["values"]
    assert kept == {"noi_dung": "Đăng ký tạm trú", "quan_he_chu_ho": "Chủ hộ", "ly_do": "làm việc"}
    reloaded = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "31/02/2025" not in reloaded and 'value="làm việc"' in reloaded


def test_a_level_1_account_is_refused_where_level_2_is_needed(learner, learner_client):
    scenario = Scenario.objects.create(
        slug="muc-1",
        title="Tài khoản mức 1",
        summary="Thử đăng nhập bằng tài khoản mức 1.",
        persona_level=1,
        steps=[
            ("vneid_login", {"method": "otp", "required_level": "2"}),
            ("info", {"title": "Xong", "body": "x"}),
        ],
    )
    run = start(learner_client, scenario.slug)
    card = learner_client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    assert "Mức 1" in card or "mức 1" in card

    refused = post_step(learner_client, run, **login_data(run)).content.decode()

    assert "chưa được định danh mức 2" in refused and "cơ quan Công an" in refused
    run.refresh_from_db()
    assert run.step_index == 0 and run.state == RunState.IN_PROGRESS


def test_resume_on_another_device_and_restart_from_scratch(learner, learner_client, scenarios):
    run = start(learner_client, "dang-nhap-dich-vu-cong")
    post_step(learner_client, run)
    phone = Client()
    phone.force_login(learner)
    assert start(phone, "dang-nhap-dich-vu-cong").pk == run.pk
    assert "Bước 2/3" in phone.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    restarted = phone.post(reverse("learning:sandbox_restart", args=[run.pk]))
    new = SandboxRun.objects.get(learner=learner, state=RunState.IN_PROGRESS)
    assert restarted["Location"] == reverse("learning:sandbox_run", args=[new.pk])
    assert new.step_index == 0 and new.persona["id_number"] != run.persona["id_number"]
    run.refresh_from_db()
    assert run.state == RunState.ABANDONED


def test_another_learners_run_does_not_exist_for_them(learner_client, scenarios):
    run = start(learner_client, "dang-nhap-dich-vu-cong")
    stranger = Client()
    stranger.force_login(ProfileFactory().user)
    assert stranger.get(reverse("learning:sandbox_run", args=[run.pk])).status_code == 404
    assert stranger.post(reverse("learning:sandbox_run", args=[run.pk]), {"buoc": "0"}).status_code == 404
    assert stranger.post(reverse("learning:sandbox_restart", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.step_index == 0


def test_huge_posts_are_refused(learner_client, scenarios):
    run = start(learner_client, "dang-nhap-dich-vu-cong")
    response = learner_client.post(
        reverse("learning:sandbox_run", args=[run.pk]), {"buoc": "0", "pad": "x" * 40_000}, follow=True
    )
    assert "quá lớn" in response.content.decode()
    run.refresh_from_db()
    assert run.step_index == 0


def test_dossier_sequence_counts_within_the_run():
    from datetime import datetime

    from learning.sandboxes import file_dossier

    ProfileFactory()
    load_scenarios()
    run = SandboxRun.objects.create(
        learner=ProfileFactory().user, scenario=Scenario.objects.first(), persona={}, steps=[]
    )
    moment = datetime(2025, 12, 3, 8, 0, tzinfo=UTC)
    codes = [file_dossier(run, "H15.50", moment).code for _ in range(3)]
    assert codes == ["H15.50-251203-0001", "H15.50-251203-0002", "H15.50-251203-0003"]


def test_a_course_that_requires_a_scenario_completes_only_after_the_run(
    learner, learner_client, scenarios, django_capture_on_commit_callbacks
):
    from learning import progress
    from learning.models import Enrollment
    from tests.courses.builders import build_course, lessons_of

    course = build_course(modules=1, lessons_per_module=1)
    course.required_scenarios.add(scenarios["cuoc-goi-cong-an-gia"])
    course.save_revision().publish()
    course.refresh_from_db()
    progress.complete_lesson(learner, course, lessons_of(course)[0])
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is None
    page = learner_client.get(course.url).content.decode()
    assert "Bài thực hành bắt buộc" in page and "đã làm xong" not in page
    run = start(learner_client, "cuoc-goi-cong-an-gia")
    with django_capture_on_commit_callbacks(execute=True):
        post_step(learner_client, run, dau_hieu=["1", "2"], hanh_dong="2")
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None
    assert "đã làm xong" in learner_client.get(course.url).content.decode()


def test_after_each_step_the_run_in_hand_says_what_the_database_does(learner, scenarios):
    """submit_step no longer reads the run back; what it leaves on the run object must match."""
    from learning import sandboxes

    run = sandboxes.start_run(learner, scenarios["dang-nhap-dich-vu-cong"])
    steps = (
        dict,
        lambda: {**login_data(run), "mat_khau": "sai", "otp": "000000"},
        lambda: login_data(run),
        lambda: {"ho_ten": "Tên khác"},
    )
    for data in steps:
        sandboxes.submit_step(run, run.step_index, data())
        stored = SandboxRun.objects.get(pk=run.pk)
        fields = ("state", "step_index", "kept", "mistakes", "hints_shown", "completed_at", "updated_at")
        assert [getattr(run, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert run.state == RunState.COMPLETED and run.mistakes == 1 and run.hints_shown == 2


def test_looking_up_a_dossier_reads_it_once_and_not_the_scenario_again(learner_client, scenarios):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from learning.sandboxes import file_dossier

    run = start(learner_client, "dang-ky-tam-tru")
    track = next(i for i, raw in enumerate(run.steps) if raw["type"] == "track_status")
    SandboxRun.objects.filter(pk=run.pk).update(step_index=track)  # the steps before, taken as done
    dossier = file_dossier(run, "H15.50", timezone.now())

    with CaptureQueriesContext(connection) as queries:
        page = post_step(learner_client, run, ma_ho_so=dossier.code).content.decode()

    assert "Mới nộp" in page and "đợi một lát" in page  # looked up, not yet returned: the step stays
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum('FROM "learning_dossier"' in s for s in sql) == 1
    assert not [s for s in sql if s.startswith("SELECT") and 'FROM "courses_scenario"' in s]
    run.refresh_from_db()
    assert run.step_index == track and run.kept[str(track)]["looked_up"] is True


def test_a_restart_reads_the_learner_and_their_place_once(learner, learner_client, scenarios):
    """The persona's province comes with the learner's profile, and the run's learner is the
    signed-in one, not read again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = start(learner_client, "dang-nhap-dich-vu-cong")
    with CaptureQueriesContext(connection) as plain:
        learner_client.get(reverse("learning:sandbox", args=["dang-nhap-dich-vu-cong"]))
    with CaptureQueriesContext(connection) as restart:
        learner_client.post(reverse("learning:sandbox_restart", args=[run.pk]))

    def reads(queries, table):
        return [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]

    assert len(reads(restart, "learning_user")) == len(reads(plain, "learning_user"))
    assert len(reads(restart, "learning_profile")) == 1
    assert not reads(restart, "learning_province")  # joined to the profile
    new = SandboxRun.objects.get(learner=learner, state=RunState.IN_PROGRESS)
    assert new.pk != run.pk and new.persona["province_code"] == learner.profile.province_id


def test_a_step_is_noted_as_seen_once_at_its_first_sight_even_when_two_requests_race(
    learner, scenarios, monkeypatch
):
    from datetime import datetime

    from learning import sandboxes

    run = sandboxes.start_run(learner, scenarios["dang-nhap-dich-vu-cong"])
    step = sandboxes.current_step(run)
    first, later = datetime(2026, 12, 7, 9, 0, tzinfo=UTC), datetime(2026, 12, 7, 9, 5, tzinfo=UTC)
    sandboxes.see_step(run, step, first)
    sandboxes.see_step(run, step, later)
    # The other request's read came before this one's insert: the unique row stops the second.
    monkeypatch.setattr(sandboxes._step_seen, "first", lambda **values: None)
    sandboxes.see_step(run, step, later)
    records = StepRecord.objects.filter(run=run)
    assert [(r.step_index, r.kind, r.first_seen_at) for r in records] == [(step.index, step.kind.name, first)]
    run.refresh_from_db()
    sandboxes.submit_step(run, run.step_index, {})  # still usable inside the step's transaction
    assert StepRecord.objects.filter(run=run).count() == 1
