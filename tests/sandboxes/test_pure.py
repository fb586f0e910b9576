"""The pure parts of sandboxes: synthetic identities, personas and each step kind's checker."""

import random
from datetime import date

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from courses.sandboxes.identity import (
    RESERVED_PREFIX,
    contains_real_looking_id,
    id_number_problem,
    is_reserved,
    make_id_number,
)
from courses.sandboxes.kinds import REGISTRY
from courses.sandboxes.kinds.search_procedure import results
from courses.sandboxes.kinds.vneid_login import otp_purpose
from courses.sandboxes.personas import make_persona, one_time_code

PERSONA = make_persona(random.Random(7), province=(1, "Thành phố Hà Nội"), commune=(4, "Phường Ba Đình"))


def form(**data) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def check(kind: str, settings: dict, state: dict | None = None, **data):
    return REGISTRY[kind].check(
        settings, form(**data), PERSONA, {"step_index": 1, "today": date(2026, 1, 10), **(state or {})}
    )


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.sampled_from(["nam", "nu"]), st.integers(0, 2**32))
def test_persona_numbers_carry_the_reserved_prefix_and_agree_with_birth_and_sex(birth, sex, seed):
    number = make_id_number(birth, sex, random.Random(seed))
    assert is_reserved(number) and number.startswith(RESERVED_PREFIX)
    century = (birth.year - 1900) // 100
    assert int(number[3]) == 2 * century + (1 if sex == "nu" else 0)
    assert number[4:6] == f"{birth.year % 100:02d}"


def test_real_looking_numbers_are_recognised_anywhere():
    assert contains_real_looking_id("số 001 084 000 999 của tôi")
    assert contains_real_looking_id("079084000999")
    assert not contains_real_looking_id(PERSONA.id_number)
    assert not contains_real_looking_id("0912345678")  # a phone number is not an ID number


def test_id_number_problems_are_explained_kindly():
    assert id_number_problem(PERSONA.id_number, PERSONA.id_number) is None
    assert "12 chữ số" in id_number_problem("12345", PERSONA.id_number)
    assert "thật" in id_number_problem("001084000999", PERSONA.id_number)
    assert "không khớp" in id_number_problem(RESERVED_PREFIX + "000000000", PERSONA.id_number)


def test_one_time_codes_are_stable_per_run_and_purpose():
    assert one_time_code(PERSONA, "a") == one_time_code(PERSONA, "a") != one_time_code(PERSONA, "b")
    assert len(one_time_code(PERSONA, "a")) == 6


def test_vneid_login_checks_each_field_and_the_account_level():
    otp = one_time_code(PERSONA, otp_purpose({"step_index": 1}))
    right = {"so_dinh_danh": PERSONA.id_number, "mat_khau": PERSONA.password, "otp": otp}
    assert check("vneid_login", {"required_level": "2"}, **right).done
    wrong = check("vneid_login", {"required_level": "2"}, so_dinh_danh="079084000999", mat_khau="x", otp="1")
    assert set(wrong.errors) == {"so_dinh_danh", "mat_khau", "otp"} and not wrong.done
    level_one = make_persona(random.Random(7), province=(1, "Hà Nội"), commune=(4, "Ba Đình"), level=1)
    outcome = REGISTRY["vneid_login"].check(
        {"required_level": "2"}, form(**right), level_one, {"step_index": 1}
    )
    assert not outcome.done and "mức 2" in outcome.hints[0]


def test_search_finds_by_keyword_without_diacritics_and_wants_the_right_procedure():
    settings = {"procedure": "Đăng ký tạm trú", "keywords": ["tạm trú"], "decoys": ["Đăng ký thường trú"]}
    assert results(settings, "TAM TRU") == ["Đăng ký tạm trú", "Đăng ký thường trú"]
    assert results(settings, "hộ chiếu") == []
    search = check("search_procedure", settings, tim="1", tu_khoa="tam tru")
    assert not search.done and not search.is_mistake and search.keep == {"query": "tam tru"}
    wrong = check("search_procedure", settings, thu_tuc="Đăng ký thường trú")
    assert wrong.is_mistake and "đọc kỹ" in wrong.hints[0]
    assert check("search_procedure", settings, thu_tuc="Đăng ký tạm trú").done


def test_choose_agency_wants_the_personas_province_and_commune():
    settings = {"level": "xa"}
    assert "Hà Nội" in check("choose_agency", settings, province="79").errors["province"]
    assert "Ba Đình" in check("choose_agency", settings, province="1", commune="99").errors["commune"]
    assert check("choose_agency", settings, province="1", commune="4").done
    assert check("choose_agency", settings, province="abc").errors["province"]


EFORM = {
    "title": "Tờ khai",
    "fields": [
        {"key": "ho_ten", "label": "Họ tên", "kind": "text", "required": True, "autofill": "full_name"},
        {
            "key": "tu_ngay",
            "label": "Từ ngày",
            "kind": "date",
            "required": True,
            "expected": "01/12/2025",
            "hint": "Xem đề bài.",
        },
        {"key": "so_nguoi", "label": "Số người", "kind": "number", "required": False},
        {"key": "ly_do", "label": "Lý do", "kind": "text", "required": True},
        {
            "key": "loai",
            "label": "Loại",
            "kind": "select",
            "choices": ["A", "B"],
            "required": True,
            "expected": "B",
        },
    ],
}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"ly_do": ""}, "ly_do", "bắt buộc"),
        ({"tu_ngay": "31/02/2025"}, "tu_ngay", "ngày/tháng/năm"),
        ({"tu_ngay": "2025-12-01"}, "tu_ngay", "ngày/tháng/năm"),
        ({"tu_ngay": "02/12/2025"}, "tu_ngay", "Xem đề bài"),
        ({"so_nguoi": "hai"}, "so_nguoi", "chữ số"),
        ({"loai": "C"}, "loai", "trong danh sách"),
        ({"loai": "A"}, "loai", "chưa đúng"),
        ({"ly_do": "CCCD 001084000999"}, "ly_do", "số định danh thật"),
    ],
)
def test_eform_explains_each_problem(data, field, message):
    outcome = check("eform", EFORM, **{"tu_ngay": "1/12/2025", "ly_do": "làm việc", "loai": "B", **data})
    assert not outcome.done and message in outcome.errors[field]


def test_eform_ignores_autofilled_fields_and_never_keeps_a_refused_value():
    outcome = check("eform", EFORM, ho_ten="Người khác", tu_ngay="01/12/2025", ly_do="001084000999", loai="B")
    assert "ho_ten" not in outcome.keep["values"] and "ly_do" not in outcome.keep["values"]
    done = check("eform", EFORM, tu_ngay="01/12/2025", ly_do="làm việc", loai="B")
    assert done.done and done.keep["values"]["ly_do"] == "làm việc"


SCAM = {
    "elements": [
        {"text": "Đòi OTP", "is_flag": True, "explanation": "OTP là của riêng bạn."},
        {"text": "Doạ khoá", "is_flag": True, "explanation": "Gấp gáp là dấu hiệu lừa."},
        {"text": "Nói tiếng Việt", "is_flag": False, "explanation": "Không phải dấu hiệu."},
    ],
    "actions": [
        {"text": "Làm theo", "safe": False, "feedback": "Không an toàn."},
        {"text": "Cúp máy, báo 156", "safe": True, "feedback": "Đúng."},
    ],
    "min_flags": 2,
}


def test_scam_drill_is_scored_on_the_action_then_on_the_flags():
    unsafe = check("scam_drill", SCAM, dau_hieu=["1", "2"], hanh_dong="1")
    assert not unsafe.done and unsafe.is_mistake and "Không an toàn." in unsafe.hints
    too_few = check("scam_drill", SCAM, dau_hieu=["1"], hanh_dong="2")
    assert not too_few.done and "ít nhất 2" in too_few.hints[-1]
    innocent = check("scam_drill", SCAM, dau_hieu=["1", "2", "3"], hanh_dong="2")
    assert not innocent.done and "Không phải dấu hiệu." in innocent.hints
    right = check("scam_drill", SCAM, dau_hieu=["1", "2"], hanh_dong="2")
    assert right.done and right.keep == {
        "flags": [1, 2],
        "spotted": 2,
        "flag_total": 2,
        "action": 2,
        "safe": True,
    }
    tampered = check("scam_drill", SCAM, dau_hieu=["9"], hanh_dong="2")
    assert not tampered.done and not tampered.is_mistake


def test_declaration_must_be_ticked():
    assert check("declare_submit", {"agency_code": "H15.50"}, cam_doan="1").done
    assert "cam đoan" in check("declare_submit", {"agency_code": "H15.50"}).errors["cam_doan"]


FEE = {
    "fee_name": "Lệ phí",
    "amount": 7000,
    "legal_basis": "TT 75/2022",
    "payee": "Công an xã",
    "personal_payee": False,
}


@pytest.mark.parametrize("typed", ["7000", "7.000", "7,000", "7 000", "7.000đ", "7000 đồng"])
def test_amounts_are_read_as_people_write_them(typed):
    from courses.sandboxes.kinds.pay_fee import parse_amount

    assert parse_amount(typed) == 7000


def test_paying_needs_channel_exact_amount_and_confirmation():
    paid = check("pay_fee", FEE, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="7.000", xac_nhan="1")
    assert paid.done and paid.keep["paid"] == 7000 and paid.keep["receipt"].startswith("BL")
    short = check("pay_fee", FEE, quyet_dinh="thanh_toan", kenh="Bitcoin", so_tien="700", xac_nhan="")
    assert set(short.errors) == {"kenh", "so_tien", "xac_nhan"} and "7.000 đồng" in short.errors["so_tien"]
    assert not check("pay_fee", FEE, quyet_dinh="tu_choi").done
    scam = {**FEE, "personal_payee": True}
    assert not check(
        "pay_fee", scam, quyet_dinh="thanh_toan", kenh="Ví điện tử", so_tien="7000", xac_nhan="1"
    ).done
    assert check("pay_fee", scam, quyet_dinh="tu_choi").done


def test_delivery_and_rating():
    assert check(
        "choose_delivery", {"expected": "dien_tu", "hint": "Chọn bản điện tử."}, cach_nhan="dien_tu"
    ).done
    assert check(
        "choose_delivery", {"expected": "dien_tu", "hint": "Chọn bản điện tử."}, cach_nhan="buu_chinh"
    ).errors
    assert check("choose_delivery", {"expected": ""}, cach_nhan="buu_chinh").done
    assert not check("choose_delivery", {}, cach_nhan="bay").is_mistake
    assert check("rate", {}, muc_do="5").keep == {"rating": 5, "commented": False}
    assert not check("rate", {}, muc_do="6").done


ATTACH = {
    "documents": [
        {
            "name": "Hợp đồng",
            "in_store": False,
            "good_sample": "Bản rõ",
            "bad_sample": "Bản mờ",
            "bad_reason": "Ảnh mờ.",
        },
        {
            "name": "Căn cước",
            "in_store": True,
            "good_sample": "Ảnh hai mặt",
            "bad_sample": "",
            "bad_reason": "",
        },
    ]
}


@pytest.mark.parametrize(
    ("name", "head", "size", "problem"),
    [
        ("a.pdf", b"%PDF-1.7", 1000, None),
        ("a.JPG", b"\xff\xd8\xff\xe0", 1000, None),
        ("a.png", b"\x89PNG\r\n", 1000, None),
        ("a.pdf", b"MZ\x90\x00", 1000, "PDF, JPG hoặc PNG"),
        ("a.svg", b"<svg xml", 1000, "PDF, JPG hoặc PNG"),
        ("a.png", b"%PDF-1.7", 1000, "PDF, JPG hoặc PNG"),
        ("a.pdf", b"%PDF-1.7", 6 * 1024 * 1024, "5 MB"),
    ],
)
def test_picked_files_are_checked_by_content_and_size(name, head, size, problem):
    from courses.sandboxes.kinds.attach_documents import file_problem

    found = file_problem({"name": name, "head": head, "size": size})
    assert (found is None) if problem is None else (problem in found)


def test_attaching_samples_the_data_store_or_a_checked_file():
    from courses.sandboxes.kinds.attach_documents import samples

    assert samples(ATTACH["documents"][0]) == [
        ("Bản mờ", False),
        ("Bản rõ", True),
    ]  # by label, not by rightness
    done = check("attach_documents", ATTACH, giay_to_1="mau_2", giay_to_2="kho")
    assert done.done and done.keep == {"attached": {"giay_to_1": "mau", "giay_to_2": "kho"}}
    wrong = check("attach_documents", ATTACH, giay_to_1="mau_1", giay_to_2="mau_9")
    assert wrong.errors["giay_to_1"] == "Ảnh mờ." and "giay_to_2" in wrong.errors
    not_in_store = check("attach_documents", ATTACH, giay_to_1="kho", giay_to_2="kho")
    assert "Kho dữ liệu" in not_in_store.errors["giay_to_1"]
    upload = {"tep_1": {"name": "hd.pdf", "head": b"%PDF-1.4", "size": 10}}
    uploaded = check("attach_documents", ATTACH, {"uploads": upload}, giay_to_1="tai_len", giay_to_2="mau_1")
    assert uploaded.done and uploaded.keep["attached"]["giay_to_1"] == "tai_len"
    missing = check("attach_documents", ATTACH, giay_to_1="tai_len", giay_to_2="mau_1")
    assert "chọn một tệp" in missing.errors["giay_to_1"]


def test_a_time_line_waits_for_the_supplement_then_counts_from_it():
    from datetime import UTC, datetime, timedelta

    from courses.sandboxes import status

    timeline = [
        {"status": "Đã tiếp nhận", "after_seconds": 5, "note": ""},
        {"status": "Yêu cầu bổ sung hồ sơ", "after_seconds": 15, "note": "Ảnh mờ."},
        {"status": "Đang xử lý", "after_seconds": 10, "note": ""},
        {"status": "Đã trả kết quả", "after_seconds": 30, "note": ""},
    ]
    submitted = datetime(2025, 12, 3, 8, 0, tzinfo=UTC)
    later = submitted + timedelta(hours=1)
    waiting = status.history(timeline, submitted, later)
    assert [c.status for c in waiting] == ["Mới nộp", "Đã tiếp nhận", "Yêu cầu bổ sung hồ sơ"]
    assert status.upcoming(timeline, submitted, later) == []  # nothing scheduled until the learner acts
    assert status.awaits_supplement(timeline, submitted, None, later)
    supplemented = later
    statuses = [
        c.status for c in status.history(timeline, submitted, later + timedelta(seconds=12), supplemented)
    ]
    assert statuses[-3:] == ["Yêu cầu bổ sung hồ sơ", "Đã bổ sung hồ sơ", "Đang xử lý"]
    assert [c.at - supplemented for c in status.upcoming(timeline, submitted, later, supplemented)] == [
        timedelta(seconds=10),
        timedelta(seconds=30),
    ]
    assert not status.awaits_supplement(timeline, submitted, supplemented, later)


@pytest.mark.parametrize(
    ("timeline", "problem"),
    [
        (
            [
                ("Yêu cầu bổ sung hồ sơ", 5),
                ("Đang xử lý", 5),
                ("Yêu cầu bổ sung hồ sơ", 9),
                ("Đã trả kết quả", 9),
            ],
            "Chỉ đặt một lần",
        ),
        ([("Đã tiếp nhận", 20), ("Yêu cầu bổ sung hồ sơ", 10), ("Đã trả kết quả", 9)], "sớm hơn"),
        ([("Đã tiếp nhận", 5), ("Yêu cầu bổ sung hồ sơ", 10)], "khi hồ sơ đã được bổ sung"),
    ],
)
def test_an_impossible_time_line_is_refused_in_the_admin(timeline, problem):
    from django.core.exceptions import ValidationError

    block = REGISTRY["track_status"].block()
    value = block.to_python(
        {"timeline": [{"status": s, "after_seconds": n, "note": ""} for s, n in timeline]}
    )
    with pytest.raises(ValidationError) as refused:
        block.clean(value)
    assert problem in str(refused.value.block_errors["timeline"])


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        (
            "procedure_detail",
            {
                "name": "Thủ tục",
                "documents": ["Tờ khai"],
                "processing_time": "3 ngày",
                "fee": 7000,
                "agency": "UBND",
            },
        ),
        (
            "request_list",
            {
                "procedure": "Thủ tục",
                "requests": [{"code": "A-1", "created": "1/1/2026", "status": "Mới nộp", "fee": 1}],
            },
        ),
    ],
)
def test_a_fee_without_its_legal_basis_is_refused_in_the_admin(kind, settings):
    from django.core.exceptions import ValidationError

    block = REGISTRY[kind].block()
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python(settings))
    assert "căn cứ" in str(refused.value.block_errors["fee_basis"])
    block.clean(block.to_python({**settings, "fee_basis": "Thông tư 75/2022/TT-BTC"}))  # with it, accepted


def test_the_request_list_blocks_a_new_request_while_one_is_unpaid():
    settings = {
        "procedure": "Cấp Phiếu lý lịch tư pháp",
        "requests": [{"code": "A-1", "created": "1/1/2025", "status": "Chờ thanh toán", "fee": 200000}],
    }
    check = REGISTRY["request_list"].check
    blocked = check(settings, form(hanh_dong="tao_moi"), PERSONA, {})
    assert not blocked.done and "A-1" in blocked.hints[0] and blocked.is_mistake
    assert check(settings, form(hanh_dong="thanh_toan"), PERSONA, {}).done
    assert not check(settings, form(hanh_dong="xoa"), PERSONA, {}).is_mistake
    finished = {**settings, "requests": [{**settings["requests"][0], "status": "Đã trả kết quả"}]}
    assert check(finished, form(hanh_dong="tao_moi"), PERSONA, {}).done
    assert not check(finished, form(hanh_dong="thanh_toan"), PERSONA, {}).done


def test_qr_login_wants_this_runs_code_the_passcode_and_consent():
    from courses.sandboxes.kinds.vneid_login import qr_purpose

    settings = {"method": "qr", "required_level": "2"}
    state = {"step_index": 2}
    code = one_time_code(PERSONA, qr_purpose(state))
    check = REGISTRY["vneid_login"].check
    good = {"ma_qr": code, "passcode": PERSONA.passcode, "dong_y": "1"}
    assert check(settings, form(**good), PERSONA, state).done
    assert not check(settings, form(**{**good, "ma_qr": one_time_code(PERSONA, "qr-1")}), PERSONA, state).done
    assert "passcode" in check(settings, form(**{**good, "passcode": "x"}), PERSONA, state).errors
    refused = check(settings, form(**{**good, "dong_y": "0"}), PERSONA, state)
    assert not refused.done and "lừa đảo" in refused.hints[0]
