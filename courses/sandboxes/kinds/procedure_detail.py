"""A procedure's page: documents needed, time, fee (with its legal basis), agency; then "Nộp trực tuyến"."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from courses.sandboxes.steps import Outcome, StepKind, format_vnd


class ProcedureDetailStepBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Tên thủ tục"), max_length=250)
    documents = blocks.ListBlock(blocks.CharBlock(max_length=250), label=_("Thành phần hồ sơ"), min_num=1)
    processing_time = blocks.CharBlock(label=_("Thời hạn giải quyết"), max_length=150)
    fee = blocks.IntegerBlock(label=_("Phí, lệ phí (đồng)"), min_value=0, default=0)
    fee_basis = blocks.CharBlock(
        label=_("Căn cứ của mức phí"),
        max_length=250,
        required=False,
        help_text=_("Bắt buộc khi có phí. Ví dụ: Thông tư 75/2022/TT-BTC."),
    )
    agency = blocks.CharBlock(label=_("Cơ quan thực hiện"), max_length=200)

    class Meta:
        icon = "list-ul"
        label = _("Trang thông tin thủ tục")

    def clean(self, value):
        value = super().clean(value)
        if value.get("fee") and not (value.get("fee_basis") or "").strip():
            raise StructBlockValidationError(
                block_errors={"fee_basis": ValidationError(_("Có phí thì phải ghi căn cứ của mức phí."))}
            )
        return value


def check(settings, data, persona, state) -> Outcome:
    return Outcome(done=True)


KIND = StepKind(
    "procedure_detail",
    "Trang thông tin thủ tục",
    ProcedureDetailStepBlock,
    check,
    "courses/sandboxes/steps/procedure_detail.html",
    context=lambda view: {"fee": format_vnd(view.settings["fee"]) if view.settings.get("fee") else ""},
)
