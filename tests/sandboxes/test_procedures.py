"""The procedure scenarios end to end through HTTP: joint birth registration, a dossier that gets
"Yêu cầu bổ sung hồ sơ", the criminal-record certificate blocked by an unpaid request, and an
accommodation notice — with their wrong paths."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from courses.sandboxes.kinds.vneid_login import qr_purpose
from courses.sandboxes.personas import one_time_code, persona_from
from learning.models import Dossier, RunState
from tests.sandboxes.test_runs import login_data, post_step, start

pytestmark = pytest.mark.django_db


def page_of(client, run) -> str:
    return client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()


def own_agency(run) -> dict:
    return {"province": str(run.persona["province_code"]), "commune": str(run.persona["commune_code"])}


def qr_login(run, **changes) -> dict:
    run.refresh_from_db()
    code = one_time_code(persona_from(run.persona), qr_purpose({"step_index": run.step_index}))
    return {"ma_qr": code, "passcode": run.persona["passcode"], "dong_y": "1", **changes}


def sample_choice(page: str, good_words: str, bad_words: str) -> tuple[str, str]:
    """(good, bad) radio values of the two samples, whichever order the page shows them in."""
    return ("mau_1", "mau_2") if page.index(good_words) < page.index(bad_words) else ("mau_2", "mau_1")


def test_joint_birth_residence_and_health_insurance(learner_client, scenarios):
    run = start(learner_client, "lien-thong-khai-sinh-thuong-tru-bhyt")
    post_step(learner_client, run, **login_data(run))
    searched = post_step(learner_client, run, tim="1", tu_khoa="lien thong khai sinh").content.decode()
    assert "cấp thẻ BHYT cho trẻ em dưới 6 tuổi" in searched
    procedure = "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi"
    assert post_step(learner_client, run, thu_tuc=procedure).status_code == 302
    detail = page_of(learner_client, run)
    assert "10.000 đồng" in detail and "Thông tư 75/2022/TT-BTC" in detail and "Mức tham khảo" in detail
    post_step(learner_client, run)
    assert post_step(learner_client, run, **own_agency(run)).status_code == 302
    yesterday = date.today() - timedelta(days=1)
    form = {
        "ten_tre": f"{run.persona['full_name'].split()[0]} Gia Bảo",
        "ngay_sinh_tre": f"{yesterday:%d/%m/%Y}",
        "gioi_tinh_tre": "Nam",
        "noi_sinh": "Trạm y tế xã",
        "dan_toc_tre": "Kinh",
        "quan_he_chu_ho": "Con",
        "noi_kham_benh": "Trạm y tế xã, phường",
    }
    late = post_step(learner_client, run, **{**form, "ngay_sinh_tre": "01/01/2020"}).content.decode()
    assert "60 ngày" in late
    future = f"{date.today() + timedelta(days=3):%d/%m/%Y}"
    assert "chưa tới" in post_step(learner_client, run, **{**form, "ngay_sinh_tre": future}).content.decode()
    assert "“Con”" in post_step(learner_client, run, **{**form, "quan_he_chu_ho": "Cháu"}).content.decode()
    assert post_step(learner_client, run, **form).status_code == 302
    good, bad = sample_choice(page_of(learner_client, run), "chụp thẳng", "chụp nghiêng")
    assert "bị yêu cầu bổ sung" in post_step(learner_client, run, giay_to_1=bad).content.decode()
    post_step(learner_client, run, giay_to_1=good)
    post_step(learner_client, run, cach_nhan="dien_tu")
    review = page_of(learner_client, run)
    assert "Gia Bảo" in review
    post_step(learner_client, run, cam_doan="1")
    dossier = Dossier.objects.get(run=run)
    with time_machine.travel(dossier.submitted_at + timedelta(seconds=50), tick=False):
        assert post_step(learner_client, run, ma_ho_so=dossier.code).status_code == 302
    post_step(learner_client, run)
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.mistakes == 4


def test_a_dossier_asked_for_more_documents_is_supplemented_and_goes_on(learner_client, scenarios):
    run = start(learner_client, "ho-so-bi-yeu-cau-bo-sung")
    # QR login: the passcode is checked, refusing does not log in, a stale QR is refused.
    page = page_of(learner_client, run)
    assert "data:image/svg+xml" in page and "Đồng ý cho phép đăng nhập" in page
    assert (
        "Passcode chưa đúng"
        in post_step(learner_client, run, **qr_login(run, passcode="000000")).content.decode()
    )
    assert "từ chối" in post_step(learner_client, run, **qr_login(run, dong_y="0")).content.decode()
    assert "tải lại trang" in post_step(learner_client, run, **qr_login(run, ma_qr="123")).content.decode()
    assert post_step(learner_client, run, **qr_login(run)).status_code == 302
    post_step(learner_client, run, giay_to_1="mau_1")
    post_step(learner_client, run, cam_doan="1")
    dossier = Dossier.objects.get(run=run)
    # Too early: still being received.
    waiting = post_step(learner_client, run, ma_ho_so=dossier.code).content.decode()
    assert "đợi một lát" in waiting
    asked = dossier.submitted_at + timedelta(seconds=20)
    with time_machine.travel(asked, tick=False):
        looked_up = post_step(learner_client, run, ma_ho_so=dossier.code)
        assert looked_up.status_code == 302
        page = page_of(learner_client, run)
        assert "Văn bản yêu cầu bổ sung hồ sơ" in page and "Ảnh giấy chứng sinh bị mờ" in page
        assert dossier.code in page
        good, bad = sample_choice(page, "chụp lại thẳng", "ảnh cũ")
        refused = post_step(learner_client, run, giay_to_1=bad).content.decode()
        assert "ảnh mờ đã bị trả về" in refused
        assert post_step(learner_client, run, giay_to_1=good).status_code == 302
    dossier.refresh_from_db()
    run.refresh_from_db()
    assert dossier.supplemented_at == asked and run.steps[run.step_index]["type"] == "track_status"
    assert run.steps[run.step_index - 1]["type"] == "supplement"
    assert Dossier.objects.filter(run=run).count() == 1  # the same dossier, not a new one
    # The rest of the time line counts from the supplement: nothing is final 20 s after it.
    with time_machine.travel(asked + timedelta(seconds=20), tick=False):
        history = post_step(learner_client, run, ma_ho_so=dossier.code).content.decode()
        assert "Đã bổ sung hồ sơ" in history and "Đang xử lý" in history and "Đã trả kết quả" not in history
    with time_machine.travel(asked + timedelta(seconds=40), tick=False):
        assert post_step(learner_client, run, ma_ho_so=dossier.code).status_code == 302
    assert "Hãy chọn một mức" in post_step(learner_client, run).content.decode()
    post_step(learner_client, run, muc_do="5")
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.mistakes == 3


def test_supplementing_before_any_request_is_refused(learner_client, scenarios):
    from learning import sandboxes

    run = start(learner_client, "ho-so-bi-yeu-cau-bo-sung")
    post_step(learner_client, run, **qr_login(run))
    post_step(learner_client, run, giay_to_1="mau_1")
    post_step(learner_client, run, cam_doan="1")
    run.refresh_from_db()
    # Skip the look-up by moving the run on, as a tampered client might try.
    run.step_index += 1
    run.save(update_fields=["step_index"])
    page = post_step(learner_client, run, giay_to_1="mau_1").content.decode()
    assert "chưa cần bổ sung" in page
    assert Dossier.objects.get(run=run).supplemented_at is None
    assert [change.status for change in sandboxes.dossier_history(run)] == ["Mới nộp"]


def test_an_unpaid_request_blocks_a_new_criminal_record_request(learner_client, scenarios):
    run = start(learner_client, "phieu-ly-lich-tu-phap-vneid")
    post_step(learner_client, run, **login_data(run))
    listing = page_of(learner_client, run)
    assert "H40.07-251112-0031" in listing and "Chờ thanh toán" in listing and "200.000 đồng" in listing
    assert "mức tham khảo" in listing and "Thông tư 16/2025/TT-BTC" in listing  # every fee names its basis
    blocked = post_step(learner_client, run, hanh_dong="tao_moi").content.decode()
    assert "Không tạo được yêu cầu mới" in blocked and "Chờ thanh toán" in blocked
    assert post_step(learner_client, run, hanh_dong="thanh_toan").status_code == 302
    fee = page_of(learner_client, run)
    assert "200.000 đồng" in fee and "Sở Tư pháp" in fee
    paid = post_step(
        learner_client, run, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="200.000", xac_nhan="1"
    )
    assert paid.status_code == 302
    form = {
        "loai_phieu": "Phiếu số 1",
        "muc_dich": "Đi làm việc ở nước ngoài",
        "so_luong": "1",
        "xac_nhan_cam": "Không",
    }
    assert (
        "Phiếu số 1"
        in post_step(learner_client, run, **{**form, "loai_phieu": "Phiếu số 2"}).content.decode()
    )
    assert post_step(learner_client, run, **form).status_code == 302
    post_step(learner_client, run, cach_nhan="dien_tu")
    post_step(learner_client, run, cam_doan="1")
    dossier = Dossier.objects.get(run=run)
    assert dossier.code.startswith("H40.07-")
    with time_machine.travel(dossier.submitted_at + timedelta(seconds=60), tick=False):
        assert post_step(learner_client, run, ma_ho_so=dossier.code).status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.mistakes == 2


def test_accommodation_notice_refuses_an_end_before_the_start(learner_client, scenarios):
    run = start(learner_client, "thong-bao-luu-tru")
    assert "vneid" in page_of(learner_client, run).lower()
    post_step(learner_client, run, **login_data(run))
    post_step(learner_client, run, tim="1", tu_khoa="luu tru")
    assert (
        "đọc kỹ tên từng thủ tục"
        in post_step(learner_client, run, thu_tuc="Đăng ký tạm trú").content.decode()
    )
    assert post_step(learner_client, run, thu_tuc="Thông báo lưu trú").status_code == 302
    assert post_step(learner_client, run, **own_agency(run)).status_code == 302
    form = {
        "loai_hinh": "Hộ gia đình",
        "ho_ten_nguoi_luu_tru": "Lê Thị Hoa",
        "ngay_sinh_nguoi_luu_tru": "15/03/1950",
        "gioi_tinh": "Nữ",
        "so_dinh_danh_nguoi_luu_tru": "099150004321",
        "quoc_tich": "Việt Nam",
        "tu_ngay": "20/12/2025",
        "den_ngay": "22/12/2025",
        "ly_do": "thăm con cháu",
    }
    reversed_dates = post_step(learner_client, run, **{**form, "den_ngay": "19/12/2025"}).content.decode()
    assert "không được trước “Lưu trú từ ngày”" in reversed_dates
    real = post_step(learner_client, run, **{**form, "so_dinh_danh_nguoi_luu_tru": "001150004321"})
    assert "số định danh thật" in real.content.decode() and "001150004321" not in real.content.decode()
    assert post_step(learner_client, run, **form).status_code == 302
    post_step(learner_client, run, cam_doan="1")
    post_step(learner_client, run)
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED
    assert "001150004321" not in str(run.kept)


def test_the_demo_scenarios_cover_the_reference_and_every_kind(scenarios):
    from courses.sandboxes.kinds import REGISTRY

    kinds = {raw["type"] for scenario in scenarios.values() for raw in scenario.steps.raw_data}
    scam_drills = [s for s in scenarios.values() if any(r["type"] == "scam_drill" for r in s.steps.raw_data)]
    assert len(scenarios) >= 8 and len(scam_drills) >= 2
    assert kinds == set(REGISTRY)


def test_the_paid_fee_has_an_e_receipt_to_download(learner_client, scenarios):
    import io

    from pypdf import PdfReader

    run = start(learner_client, "nop-le-phi-giu-bien-lai")
    post_step(learner_client, run, quyet_dinh="tu_choi")
    paid = post_step(
        learner_client, run, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="7000", xac_nhan="1"
    )
    page = learner_client.get(paid["Location"]).content.decode()
    assert "Giao dịch thành công" in page
    run.refresh_from_db()
    receipt_url = reverse("learning:sandbox_receipt", args=[run.pk, 1])
    assert receipt_url in page
    response = learner_client.get(receipt_url)
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        run.kept["1"]["receipt"],
        "7.000 đồng",
        "Thông tư 75/2022/TT-BTC",
        "THỰC HÀNH",
        run.persona["full_name"],
    ):
        assert expected in text
    # The refused "fee" has no receipt; another learner gets nothing.
    assert learner_client.get(reverse("learning:sandbox_receipt", args=[run.pk, 0])).status_code == 404
    from django.test import Client

    from tests.factories import ProfileFactory

    stranger = Client()
    stranger.force_login(ProfileFactory().user)
    assert stranger.get(receipt_url).status_code == 404
