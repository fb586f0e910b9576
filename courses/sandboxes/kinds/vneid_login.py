"""Log in with VNeID: personal ID number, password and the OTP shown on the mock phone; or by the
QR handshake — the portal shows a QR code, the mock VNeID app (opened with the passcode) scans it
and the learner agrees to let the portal log in."""

import segno
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.identity import id_number_problem
from courses.sandboxes.personas import one_time_code
from courses.sandboxes.steps import Outcome, StepKind

LEVEL_2_REQUIRED = (
    "Tài khoản chưa được định danh mức 2 — vui lòng đến cơ quan Công an để được cấp tài khoản mức 2."
)


class VneidLoginStepBlock(blocks.StructBlock):
    portal_name = blocks.CharBlock(
        label=_("Đăng nhập vào"), max_length=120, default="Cổng Dịch vụ công quốc gia (mô phỏng)"
    )
    method = blocks.ChoiceBlock(
        label=_("Cách đăng nhập"),
        choices=[
            ("otp", _("Số định danh, mật khẩu và mã OTP")),
            ("qr", _("Quét mã QR bằng ứng dụng VNeID")),
        ],
        default="otp",
    )
    required_level = blocks.ChoiceBlock(
        label=_("Thủ tục cần tài khoản"), choices=[("1", _("Mức 1")), ("2", _("Mức 2"))], default="2"
    )

    class Meta:
        icon = "user"
        label = _("Đăng nhập VNeID")


def otp_purpose(state) -> str:
    return f"dang-nhap-{state.get('step_index', 0)}"


def qr_purpose(state) -> str:
    return f"qr-{state.get('step_index', 0)}"


def check(settings, data, persona, state) -> Outcome:
    if settings.get("method") == "qr":
        return check_qr(settings, data, persona, state)
    errors = {}
    if problem := id_number_problem(data.get("so_dinh_danh", ""), persona.id_number):
        errors["so_dinh_danh"] = problem
    if (data.get("mat_khau") or "") != persona.password:
        errors["mat_khau"] = gettext(
            "Mật khẩu chưa đúng. Mật khẩu in trên thẻ nhân vật; chú ý chữ hoa, chữ thường."
        )
    if (data.get("otp") or "").strip() != one_time_code(persona, otp_purpose(state)):
        errors["otp"] = gettext("Mã OTP chưa đúng. Mã gồm 6 số, hiện trên màn hình điện thoại bên cạnh.")
    if errors:
        return Outcome(done=False, errors=errors)
    return logged_in(settings, persona)


def logged_in(settings, persona) -> Outcome:
    if persona.level < int(settings.get("required_level") or 2):
        return Outcome(done=False, hints=[str(LEVEL_2_REQUIRED)])
    return Outcome(done=True, keep={"logged_in": True})


def check_qr(settings, data, persona, state) -> Outcome:
    if (data.get("ma_qr") or "") != one_time_code(persona, qr_purpose(state)):
        return Outcome(
            done=False,
            hints=[gettext("Mã QR này không còn dùng được. Hãy tải lại trang để có mã QR mới.")],
            mistake=False,
        )
    if (data.get("passcode") or "").strip() != persona.passcode:
        return Outcome(
            done=False,
            errors={
                "passcode": gettext(
                    "Passcode chưa đúng. Passcode gồm 6 số, in trên thẻ nhân vật. Ngoài đời, "
                    "không bao giờ đọc passcode cho ai."
                )
            },
        )
    if data.get("dong_y") != "1":
        return Outcome(
            done=False,
            hints=[
                gettext(
                    "Bạn đã từ chối nên Cổng chưa đăng nhập. Chỉ bấm “Đồng ý” khi chính bạn đang "
                    "đăng nhập trên máy của mình; ai nhờ bạn quét mã QR của họ là dấu hiệu lừa đảo."
                )
            ],
        )
    return logged_in(settings, persona)


def context(view) -> dict:
    if view.settings.get("method") == "qr":
        code = one_time_code(view.persona, qr_purpose({"step_index": view.index}))
        return {
            "qr_code": code,
            # Inert on purpose: the QR carries only this run's handshake code, never a link.
            "qr_image": segno.make(f"VNEID-THUCHANH:{code}", error="m").svg_data_uri(scale=5, border=2),
        }
    return {"otp": one_time_code(view.persona, otp_purpose({"step_index": view.index}))}


KIND = StepKind(
    "vneid_login",
    "Đăng nhập VNeID",
    VneidLoginStepBlock,
    check,
    "courses/sandboxes/steps/vneid_login.html",
    context=context,
)
