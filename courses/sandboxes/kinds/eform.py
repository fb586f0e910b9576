"""An e-form (tờ khai điện tử): applicant fields filled from the persona and shown read-only,
the case's own fields typed by the learner and checked against what the case expects."""

import re
from datetime import date, datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.identity import REAL_ID_REFUSED, contains_real_looking_id
from courses.sandboxes.kinds.search_procedure import fold
from courses.sandboxes.steps import Outcome, StepKind

REQUIRED = _("Trường này bắt buộc nhập.")
AUTOFILL_SOURCES = [
    ("", _("Người học tự nhập")),
    ("full_name", _("Họ và tên (thẻ nhân vật)")),
    ("birth_date_display", _("Ngày sinh")),
    ("sex_label", _("Giới tính")),
    ("id_number", _("Số định danh cá nhân")),
    ("address", _("Nơi thường trú")),
    ("ethnicity", _("Dân tộc")),
    ("nationality", _("Quốc tịch")),
    ("phone_masked", _("Số điện thoại")),
]


class EformFieldBlock(blocks.StructBlock):
    key = blocks.RegexBlock(
        regex=r"^[a-z][a-z0-9_]{0,39}$",
        label=_("Mã trường"),
        help_text=_("Chữ thường không dấu, ví dụ: ly_do."),
    )
    label = blocks.CharBlock(label=_("Nhãn"), max_length=150)
    kind = blocks.ChoiceBlock(
        label=_("Kiểu"),
        choices=[
            ("text", _("Chữ")),
            ("date", _("Ngày (dd/mm/yyyy)")),
            ("number", _("Số")),
            ("select", _("Chọn một")),
        ],
        default="text",
    )
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=150), label=_("Các lựa chọn (kiểu “Chọn một”)"), default=[]
    )
    required = blocks.BooleanBlock(label=_("Bắt buộc"), required=False, default=True)
    autofill = blocks.ChoiceBlock(
        label=_("Tự điền (chỉ đọc)"), choices=AUTOFILL_SOURCES, required=False, default=""
    )
    expected = blocks.CharBlock(label=_("Giá trị đúng của tình huống"), required=False, max_length=150)
    hint = blocks.CharBlock(label=_("Gợi ý khi nhập sai"), required=False, max_length=250)
    not_future = blocks.BooleanBlock(label=_("Ngày không được sau hôm nay"), required=False, default=False)
    max_days_ago = blocks.IntegerBlock(
        label=_("Không quá bao nhiêu ngày trước hôm nay"),
        required=False,
        min_value=1,
        help_text=_("Ví dụ 60 cho đăng ký khai sinh đúng hạn. Gợi ý khi sai là “Gợi ý khi nhập sai”."),
    )
    not_before = blocks.RegexBlock(
        regex=r"^([a-z][a-z0-9_]{0,39})?$",
        label=_("Không được trước ngày ở trường"),
        required=False,
        help_text=_("Mã một trường ngày khác, ví dụ tu_ngay cho ô “đến ngày”."),
    )


class EformStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tên tờ khai"), max_length=150)
    intro = blocks.TextBlock(label=_("Hướng dẫn"), required=False)
    fields = blocks.ListBlock(EformFieldBlock(), label=_("Các trường"), min_num=1)

    class Meta:
        icon = "form"
        label = _("Tờ khai điện tử")


def parse_date(value: str) -> date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if not match:
        return None
    try:
        return datetime(int(match[3]), int(match[2]), int(match[1])).date()
    except ValueError:
        return None


def field_problem(field, value: str, today: date) -> str | None:
    if not value:
        return str(REQUIRED) if field.get("required", True) else None
    if contains_real_looking_id(value):
        return str(REAL_ID_REFUSED)
    kind = field.get("kind", "text")
    if kind == "date":
        parsed = parse_date(value)
        if parsed is None:
            return gettext("Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/09/2025.")
        if field.get("not_future") and parsed > today:
            return gettext("Ngày này chưa tới. Hãy kiểm tra lại.")
        if field.get("max_days_ago") and (today - parsed).days > int(field["max_days_ago"]):
            return field.get("hint") or gettext("Ngày này đã quá %(days)s ngày trước hôm nay.") % {
                "days": field["max_days_ago"]
            }
    if kind == "number" and not value.isdigit():
        return gettext("Ô này chỉ nhập chữ số.")
    if kind == "select" and value not in field.get("choices", []):
        return gettext("Hãy chọn một dòng trong danh sách.")
    expected = field.get("expected") or ""
    if expected and fold(value) != fold(expected):
        if kind == "date" and parse_date(value) == parse_date(expected):
            return None
        return field.get("hint") or gettext("Thông tin này chưa đúng với tình huống. Đọc lại đề bài nhé.")
    return None


def check(settings, data, persona, state) -> Outcome:
    today = state.get("today") or date.today()
    errors, sent = {}, {}
    for field in settings["fields"]:
        if field.get("autofill"):
            continue  # read-only: whatever was sent is ignored
        value = (data.get(field["key"]) or "").strip()[:200]
        if problem := field_problem(field, value, today):
            errors[field["key"]] = problem
        if value and problem != str(REAL_ID_REFUSED):
            sent[field["key"]] = value
    # An end before its start says more than any other problem with that date.
    labels = {field["key"]: field["label"] for field in settings["fields"]}
    for field in settings["fields"]:
        earlier = field.get("not_before") or ""
        end, start = parse_date(sent.get(field["key"], "")), parse_date(sent.get(earlier, ""))
        if earlier in labels and end and start and end < start:
            errors[field["key"]] = gettext("Ngày này không được trước “%(other)s”.") % {
                "other": labels[earlier]
            }
    # Only accepted values are kept (to fill the form again after a reload): what was refused is
    # shown back once, in the answer to this request, and never stored.
    accepted = {key: value for key, value in sent.items() if key not in errors}
    return Outcome(done=not errors, errors=errors, keep={"values": accepted})


def context(view) -> dict:
    """Each field with what it shows: the persona's record when auto-filled, else what was typed."""
    return {
        "fields": [
            {
                **field,
                "value": getattr(view.persona, field["autofill"])
                if field.get("autofill")
                else view.values.get(field["key"], ""),
                "error": view.errors.get(field["key"], ""),
            }
            for field in view.settings["fields"]
        ]
    }


KIND = StepKind(
    "eform", "Tờ khai điện tử", EformStepBlock, check, "courses/sandboxes/steps/eform.html", context=context
)
