"""Log in with VNeID: personal ID number, password, and the OTP shown on the mock phone."""

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
    required_level = blocks.ChoiceBlock(
        label=_("Thủ tục cần tài khoản"), choices=[("1", _("Mức 1")), ("2", _("Mức 2"))], default="2"
    )

    class Meta:
        icon = "user"
        label = _("Đăng nhập VNeID")


def otp_purpose(state) -> str:
    return f"dang-nhap-{state.get('step_index', 0)}"


def check(settings, data, persona, state) -> Outcome:
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
    if persona.level < int(settings.get("required_level") or 2):
        return Outcome(done=False, hints=[str(LEVEL_2_REQUIRED)])
    return Outcome(done=True, keep={"logged_in": True})


KIND = StepKind(
    "vneid_login", "Đăng nhập VNeID", VneidLoginStepBlock, check, "courses/sandboxes/steps/vneid_login.html"
)
