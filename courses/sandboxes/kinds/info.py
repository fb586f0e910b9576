"""A screen to read (how the portal looks, what a procedure needs), then "Tiếp tục"."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind


class InfoStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề màn hình"), max_length=150)
    body = blocks.TextBlock(label=_("Nội dung"), help_text=_("Mỗi dòng là một đoạn."))
    button = blocks.CharBlock(label=_("Chữ trên nút"), max_length=60, default="Tiếp tục")

    class Meta:
        icon = "doc-full"
        label = _("Màn hình thông tin")


def check(settings, data, persona, state) -> Outcome:
    return Outcome(done=True)


KIND = StepKind("info", "Màn hình thông tin", InfoStepBlock, check, "courses/sandboxes/steps/info.html")
