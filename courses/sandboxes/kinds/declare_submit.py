"""Review, tick the declaration (cam đoan) and submit: the dossier gets its code."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind


class DeclareSubmitStepBlock(blocks.StructBlock):
    agency_code = blocks.RegexBlock(
        regex=r"^[A-Z0-9]{1,6}(\.[A-Z0-9]{1,6}){0,3}$",
        label=_("Mã cơ quan (đầu mã hồ sơ)"),
        default="H15.50",
        help_text=_("Mã hồ sơ = mã cơ quan-YYMMDD-số thứ tự, ví dụ H15.50-251203-0001."),
    )
    declaration = blocks.TextBlock(
        label=_("Lời cam đoan"),
        default="Tôi xin cam đoan những thông tin khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Cam đoan và nộp hồ sơ")


def check(settings, data, persona, state) -> Outcome:
    if data.get("cam_doan") != "1":
        return Outcome(
            done=False, errors={"cam_doan": gettext("Hãy đọc và đánh dấu vào ô cam đoan trước khi nộp.")}
        )
    return Outcome(done=True, keep={"declared": True})


KIND = StepKind(
    "declare_submit",
    "Cam đoan và nộp hồ sơ",
    DeclareSubmitStepBlock,
    check,
    "courses/sandboxes/steps/declare_submit.html",
    creates_dossier=True,
)
