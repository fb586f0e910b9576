"""Spot the scam: tap the red flags in a message, then choose what to do. Scored on the action."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind

CHANNELS = [
    ("sms", _("Tin nhắn SMS")),
    ("zalo", _("Tin nhắn Zalo")),
    ("call", _("Cuộc gọi")),
    ("web", _("Trang web")),
]


class ScamElementBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Chi tiết trong tin nhắn"), max_length=200)
    is_flag = blocks.BooleanBlock(label=_("Là dấu hiệu lừa đảo"), required=False, default=True)
    explanation = blocks.CharBlock(label=_("Giải thích"), max_length=300)


class ScamActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Việc làm"), max_length=200)
    safe = blocks.BooleanBlock(label=_("Là việc làm an toàn"), required=False, default=False)
    feedback = blocks.CharBlock(label=_("Nhận xét khi chọn"), max_length=300)


class ScamDrillStepBlock(blocks.StructBlock):
    channel = blocks.ChoiceBlock(label=_("Kênh"), choices=CHANNELS, default="sms")
    sender = blocks.CharBlock(label=_("Người gửi / số gọi / địa chỉ trang"), max_length=120)
    message = blocks.TextBlock(
        label=_("Nội dung"), help_text=_("Hiện như chữ, không bao giờ là đường dẫn bấm được.")
    )
    elements = blocks.ListBlock(ScamElementBlock(), label=_("Các chi tiết để người học xét"), min_num=2)
    actions = blocks.ListBlock(ScamActionBlock(), label=_("Các việc có thể làm"), min_num=2)
    min_flags = blocks.IntegerBlock(label=_("Cần chỉ ra ít nhất (dấu hiệu)"), default=1, min_value=0)

    class Meta:
        icon = "warning"
        label = _("Nhận diện lừa đảo")


def _indexes(values: list[str], size: int) -> set[int] | None:
    chosen = set()
    for value in values:
        if not value.isdigit() or not 1 <= int(value) <= size:
            return None
        chosen.add(int(value))
    return chosen


def check(settings, data, persona, state) -> Outcome:
    elements, actions = settings["elements"], settings["actions"]
    flags = _indexes(data.getlist("dau_hieu"), len(elements))
    action = _indexes([data.get("hanh_dong") or ""] if data.get("hanh_dong") else [], len(actions))
    if flags is None or action is None:
        return Outcome(
            done=False, hints=[gettext("Lựa chọn không hợp lệ. Hãy tải lại trang.")], mistake=False
        )
    spotted = {i for i in flags if elements[i - 1]["is_flag"]}
    innocent = flags - spotted
    keep = {
        "flags": sorted(flags),
        "spotted": len(spotted),
        "flag_total": sum(1 for e in elements if e["is_flag"]),
    }
    hints = [elements[i - 1]["explanation"] for i in sorted(innocent)]
    if not action:
        return Outcome(
            done=False,
            hints=[*hints, gettext("Hãy chọn việc bạn sẽ làm.")],
            keep=keep,
            mistake=bool(innocent),
        )
    chosen = actions[next(iter(action)) - 1]
    keep["action"] = next(iter(action))
    keep["safe"] = bool(chosen["safe"])
    if not chosen["safe"]:
        return Outcome(done=False, hints=[*hints, chosen["feedback"]], keep=keep)
    needed = int(settings.get("min_flags") or 0)
    if len(spotted) < needed or innocent:
        more = (
            [
                gettext("Bạn đã chọn đúng việc cần làm. Hãy chỉ ra ít nhất %(n)s dấu hiệu lừa đảo.")
                % {"n": needed}
            ]
            if len(spotted) < needed
            else []
        )
        return Outcome(done=False, hints=[*hints, *more], keep=keep)
    return Outcome(done=True, hints=[chosen["feedback"]], keep=keep)


KIND = StepKind(
    "scam_drill", "Nhận diện lừa đảo", ScamDrillStepBlock, check, "courses/sandboxes/steps/scam_drill.html"
)
