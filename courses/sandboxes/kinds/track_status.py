"""Look up the dossier by its code and follow its status until the result is returned, or until
the agency asks for more documents (the next step is then a supplement step)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from courses.sandboxes.status import FINAL, STATUSES, SUPPLEMENT_REQUESTED, history, phases
from courses.sandboxes.steps import Outcome, StepKind


class StatusChangeBlock(blocks.StructBlock):
    status = blocks.ChoiceBlock(label=_("Trạng thái"), choices=[(name, name) for name in STATUSES[1:]])
    after_seconds = blocks.IntegerBlock(
        label=_("Sau khi nộp (giây)"),
        min_value=1,
        help_text=_(
            "Tính từ lúc nộp; các trạng thái sau “Yêu cầu bổ sung hồ sơ” tính từ lúc người học bổ sung. "
            "Rút ngắn cho người học: vài chục giây là đủ."
        ),
    )
    note = blocks.CharBlock(label=_("Thông báo kèm theo"), max_length=250, required=False)


class TrackStatusStepBlock(blocks.StructBlock):
    timeline = blocks.ListBlock(
        StatusChangeBlock(),
        label=_("Các lần đổi trạng thái"),
        default=[],
        help_text=_(
            "Bước tra cứu đầu tiên của tình huống đặt các mốc cho hồ sơ. Các bước tra cứu sau để trống: "
            "chúng dùng lại các mốc ấy (ví dụ sau khi bổ sung hồ sơ)."
        ),
    )

    class Meta:
        icon = "time"
        label = _("Tra cứu, theo dõi hồ sơ")

    def clean(self, value):
        value = super().clean(value)
        entries = [dict(entry) for entry in value["timeline"]]
        before, after = phases(entries)
        requests = [entry for entry in entries if entry["status"] == SUPPLEMENT_REQUESTED]
        problem = None
        if len(requests) > 1:
            problem = _("Chỉ đặt một lần “Yêu cầu bổ sung hồ sơ”: yêu cầu lần hai bị tính là trễ hạn.")
        elif requests and any(e["after_seconds"] >= before[-1]["after_seconds"] for e in before[:-1]):
            problem = _("Các trạng thái trước “Yêu cầu bổ sung hồ sơ” phải đến sớm hơn nó.")
        elif requests and not after:
            problem = _("Sau “Yêu cầu bổ sung hồ sơ”, hãy thêm các trạng thái khi hồ sơ đã được bổ sung.")
        if problem:
            raise StructBlockValidationError(block_errors={"timeline": ValidationError(problem)})
        return value


def check(settings, data, persona, state) -> Outcome:
    code = (data.get("ma_ho_so") or "").strip().upper()
    dossier = state.get("dossier")
    if dossier is None:
        return Outcome(
            done=False, hints=[gettext("Chưa có hồ sơ nào được nộp trong lượt này.")], mistake=False
        )
    if code != dossier["code"]:
        return Outcome(
            done=False,
            errors={
                "ma_ho_so": gettext(
                    "Không tìm thấy hồ sơ có mã này. Mã hồ sơ có dạng H15.50-251203-0001: xem lại mã khi nộp."
                )
            },
        )
    current = history(
        state["timeline"], dossier["submitted_at"], state["now"], dossier.get("supplemented_at")
    )[-1]
    if current.status == SUPPLEMENT_REQUESTED:
        return Outcome(
            done=True,
            hints=[gettext("Hồ sơ cần bổ sung giấy tờ. Đọc kỹ văn bản yêu cầu bổ sung rồi làm theo.")],
            keep={"looked_up": True, "final_status": current.status},
        )
    if current.status not in FINAL:
        return Outcome(
            done=False,
            hints=[
                gettext("Hồ sơ đang ở trạng thái “%(status)s”. Chưa có kết quả: đợi một lát rồi tra cứu lại.")
                % {"status": current.status}
            ],
            keep={"looked_up": True},
            mistake=False,
        )
    return Outcome(done=True, keep={"looked_up": True, "final_status": current.status})


def context(view) -> dict:
    """The code typed (or the dossier's, once found) and, once looked up, its history so far."""
    dossier = view.state.get("dossier")
    typed = view.values.get("ma_ho_so") or (dossier["code"] if view.kept.get("looked_up") and dossier else "")
    shown = dossier is not None and (view.kept.get("looked_up") or typed) and not view.errors
    return {
        "code_typed": typed,
        "history": history(
            view.state["timeline"], dossier["submitted_at"], view.state["now"], dossier["supplemented_at"]
        )
        if shown
        else [],
    }


KIND = StepKind(
    "track_status",
    "Tra cứu, theo dõi hồ sơ",
    TrackStatusStepBlock,
    check,
    "courses/sandboxes/steps/track_status.html",
    context=context,
)
