"""Rate the service on the portal's 5-level satisfaction scale."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind

LEVELS = [
    ("5", _("Rất hài lòng")),
    ("4", _("Hài lòng")),
    ("3", _("Bình thường")),
    ("2", _("Không hài lòng")),
    ("1", _("Rất không hài lòng")),
]


class RateStepBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        label=_("Câu hỏi"), max_length=250, default="Bạn có hài lòng với việc giải quyết thủ tục này không?"
    )

    class Meta:
        icon = "pick"
        label = _("Đánh giá mức độ hài lòng")


def check(settings, data, persona, state) -> Outcome:
    level = data.get("muc_do") or ""
    if level not in dict(LEVELS):
        return Outcome(done=False, errors={"muc_do": gettext("Hãy chọn một mức đánh giá.")}, mistake=False)
    comment = (data.get("gop_y") or "").strip()[:500]
    return Outcome(done=True, keep={"rating": int(level), "commented": bool(comment)})


KIND = StepKind(
    "rate",
    "Đánh giá mức độ hài lòng",
    RateStepBlock,
    check,
    "courses/sandboxes/steps/rate.html",
    context=lambda view: {"levels": [(value, str(label)) for value, label in LEVELS]},
)
