"""Supplement a dossier ("Yêu cầu bổ sung hồ sơ"): read the agency's request, attach the document
again, properly this time, and send it. The same dossier goes on; the rest of its time line counts
from this moment."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.kinds import attach_documents
from courses.sandboxes.status import awaits_supplement
from courses.sandboxes.steps import Outcome, StepKind


class SupplementStepBlock(blocks.StructBlock):
    agency = blocks.CharBlock(label=_("Cơ quan yêu cầu"), max_length=200)
    reason = blocks.TextBlock(
        label=_("Văn bản yêu cầu bổ sung"),
        help_text=_("Nêu rõ giấy tờ nào, vì sao, ví dụ: Ảnh giấy chứng sinh bị mờ, không đọc được."),
    )
    document = attach_documents.RequiredDocumentBlock(label=_("Giấy tờ cần bổ sung"))

    class Meta:
        icon = "repeat"
        label = _("Bổ sung hồ sơ")


def check(settings, data, persona, state) -> Outcome:
    dossier = state.get("dossier")
    if dossier is None or not awaits_supplement(
        state["timeline"], dossier["submitted_at"], dossier.get("supplemented_at"), state["now"]
    ):
        return Outcome(
            done=False,
            hints=[gettext("Hồ sơ không ở trạng thái “Yêu cầu bổ sung hồ sơ”: chưa cần bổ sung gì.")],
            mistake=False,
        )
    attached = attach_documents.check({"documents": [settings["document"]]}, data, persona, state)
    if not attached.done:
        return Outcome(done=False, errors=attached.errors)
    return Outcome(done=True, keep={"attached": attached.keep["attached"]})


def context(view) -> dict:
    return {
        "documents": attach_documents.offered([view.settings["document"]], view),
        "dossier": view.state.get("dossier"),
    }


KIND = StepKind(
    "supplement",
    "Bổ sung hồ sơ",
    SupplementStepBlock,
    check,
    "courses/sandboxes/steps/supplement.html",
    accepts_files=True,
    supplements_dossier=True,
    context=context,
)
