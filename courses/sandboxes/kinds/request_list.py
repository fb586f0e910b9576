"""The list of requests already sent for a procedure (VNeID "Quản lý yêu cầu"): a new request
cannot be created while an earlier one is unpaid or still being processed; pay it first."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from courses.sandboxes.status import FINAL, STATUSES
from courses.sandboxes.steps import Outcome, StepKind, format_vnd

AWAITING_PAYMENT = "Chờ thanh toán"
ACTIONS = {"thanh_toan", "tao_moi"}


class EarlierRequestBlock(blocks.StructBlock):
    code = blocks.CharBlock(label=_("Mã yêu cầu"), max_length=40)
    created = blocks.CharBlock(label=_("Ngày tạo"), max_length=20, help_text=_("Ví dụ: 12/11/2025."))
    status = blocks.ChoiceBlock(label=_("Trạng thái"), choices=[(name, name) for name in STATUSES])
    fee = blocks.IntegerBlock(label=_("Lệ phí (đồng)"), required=False, min_value=0)


class RequestListStepBlock(blocks.StructBlock):
    procedure = blocks.CharBlock(label=_("Thủ tục"), max_length=200)
    requests = blocks.ListBlock(EarlierRequestBlock(), label=_("Các yêu cầu đã gửi"), min_num=1)
    fee_basis = blocks.CharBlock(
        label=_("Căn cứ của lệ phí"),
        max_length=250,
        required=False,
        help_text=_("Bắt buộc khi có yêu cầu ghi lệ phí. Ví dụ: Thông tư 16/2025/TT-BTC."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Danh sách yêu cầu đã gửi")

    def clean(self, value):
        value = super().clean(value)
        if (
            any(request.get("fee") for request in value["requests"])
            and not (value.get("fee_basis") or "").strip()
        ):
            raise StructBlockValidationError(
                block_errors={
                    "fee_basis": ValidationError(_("Có lệ phí thì phải ghi căn cứ của mức lệ phí."))
                }
            )
        return value


def blocking(settings) -> list[dict]:
    """Earlier requests that stop a new one: unpaid, or not finished yet."""
    return [request for request in settings["requests"] if request["status"] not in FINAL]


def check(settings, data, persona, state) -> Outcome:
    action = data.get("hanh_dong") or ""
    if action not in ACTIONS:
        return Outcome(done=False, hints=[gettext("Hãy chọn một việc ở cuối trang.")], mistake=False)
    unpaid = [request for request in settings["requests"] if request["status"] == AWAITING_PAYMENT]
    if action == "tao_moi" and blocking(settings):
        return Outcome(
            done=False,
            hints=[
                gettext(
                    "Không tạo được yêu cầu mới: yêu cầu %(code)s đang ở trạng thái “%(status)s”. "
                    "Khi còn yêu cầu chưa thanh toán hoặc đang xử lý thì chưa tạo được yêu cầu mới; "
                    "hãy thanh toán (hoặc đợi xử lý xong) yêu cầu cũ trước."
                )
                % {"code": blocking(settings)[0]["code"], "status": blocking(settings)[0]["status"]}
            ],
        )
    if action == "thanh_toan" and not unpaid:
        return Outcome(done=False, hints=[gettext("Không có yêu cầu nào đang chờ thanh toán.")])
    return Outcome(done=True, keep={"action": action})


def context(view) -> dict:
    return {
        "requests": [
            {**request, "fee_text": format_vnd(request["fee"]) if request.get("fee") else ""}
            for request in view.settings["requests"]
        ],
        "has_unpaid": any(r["status"] == AWAITING_PAYMENT for r in view.settings["requests"]),
        "has_fees": any(r.get("fee") for r in view.settings["requests"]),
    }


KIND = StepKind(
    "request_list",
    "Danh sách yêu cầu đã gửi",
    RequestListStepBlock,
    check,
    "courses/sandboxes/steps/request_list.html",
    context=context,
)
