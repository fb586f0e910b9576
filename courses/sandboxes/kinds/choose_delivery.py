"""How to receive the result: electronic copy, public post to the home, or at the one-stop desk."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind

DELIVERY = [
    ("dien_tu", _("Bản điện tử (nhận trên VNeID và Cổng Dịch vụ công)")),
    ("buu_chinh", _("Qua bưu chính công ích, gửi về nhà")),
    ("truc_tiep", _("Nhận trực tiếp tại Bộ phận một cửa")),
]


class ChooseDeliveryStepBlock(blocks.StructBlock):
    expected = blocks.ChoiceBlock(
        label=_("Cách nhận đúng với tình huống"),
        choices=DELIVERY,
        required=False,
        help_text=_("Bỏ trống: cách nào cũng được."),
    )
    hint = blocks.CharBlock(label=_("Gợi ý khi chọn sai"), max_length=250, required=False)

    class Meta:
        icon = "mail"
        label = _("Chọn cách nhận kết quả")


def check(settings, data, persona, state) -> Outcome:
    chosen = data.get("cach_nhan") or ""
    if chosen not in dict(DELIVERY):
        return Outcome(
            done=False, errors={"cach_nhan": gettext("Hãy chọn cách nhận kết quả.")}, mistake=False
        )
    expected = settings.get("expected") or ""
    if expected and chosen != expected:
        return Outcome(
            done=False,
            errors={
                "cach_nhan": settings.get("hint")
                or gettext("Cách nhận này chưa đúng với tình huống. Đọc lại đề bài nhé.")
            },
        )
    return Outcome(done=True, keep={"delivery": chosen})


KIND = StepKind(
    "choose_delivery",
    "Chọn cách nhận kết quả",
    ChooseDeliveryStepBlock,
    check,
    "courses/sandboxes/steps/choose_delivery.html",
    context=lambda view: {"choices": [(value, str(label)) for value, label in DELIVERY]},
)
