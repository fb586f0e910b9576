"""Look up the dossier by its code and follow its status until the result is returned."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.status import FINAL, STATUSES, history
from courses.sandboxes.steps import Outcome, StepKind


class StatusChangeBlock(blocks.StructBlock):
    status = blocks.ChoiceBlock(label=_("Trạng thái"), choices=[(name, name) for name in STATUSES[1:]])
    after_seconds = blocks.IntegerBlock(
        label=_("Sau khi nộp (giây)"),
        min_value=1,
        help_text=_("Rút ngắn cho người học: vài chục giây là đủ."),
    )
    note = blocks.CharBlock(label=_("Thông báo kèm theo"), max_length=250, required=False)


class TrackStatusStepBlock(blocks.StructBlock):
    timeline = blocks.ListBlock(StatusChangeBlock(), label=_("Các lần đổi trạng thái"), min_num=1)

    class Meta:
        icon = "time"
        label = _("Tra cứu, theo dõi hồ sơ")


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
    current = history(settings["timeline"], dossier["submitted_at"], state["now"])[-1]
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


KIND = StepKind(
    "track_status",
    "Tra cứu, theo dõi hồ sơ",
    TrackStatusStepBlock,
    check,
    "courses/sandboxes/steps/track_status.html",
)
