"""Choose the agency that handles the dossier: province, then commune (two tiers since 1/7/2025)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind


class ChooseAgencyStepBlock(blocks.StructBlock):
    agency = blocks.CharBlock(
        label=_("Cơ quan thực hiện"), max_length=150, default="UBND xã, phường nơi cư trú"
    )
    level = blocks.ChoiceBlock(
        label=_("Chọn đến cấp"),
        choices=[("xa", _("Xã, phường")), ("tinh", _("Tỉnh, thành phố"))],
        default="xa",
    )
    explanation = blocks.TextBlock(
        label=_("Vì sao là cơ quan này"),
        default="Hồ sơ nộp cho cơ quan nơi bạn cư trú. Xem địa chỉ trên thẻ nhân vật.",
    )

    class Meta:
        icon = "site"
        label = _("Chọn cơ quan thực hiện")


def _code(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check(settings, data, persona, state) -> Outcome:
    province, commune = _code(data.get("province")), _code(data.get("commune"))
    if data.get("refresh_communes"):
        # Without JavaScript, the button that lists the chosen province's communes sends the form:
        # nothing is answered yet, so nothing is judged.
        return Outcome(done=False, keep={"province": province} if province else {}, mistake=False)
    if province is None:
        return Outcome(done=False, errors={"province": gettext("Hãy chọn tỉnh, thành phố.")})
    if province != persona.province_code:
        return Outcome(
            done=False,
            errors={
                "province": gettext("Chưa đúng. Hồ sơ nộp ở tỉnh, thành phố nơi bạn cư trú: %(name)s.")
                % {"name": persona.province_name}
            },
        )
    if settings.get("level", "xa") == "xa":
        if commune is None:
            return Outcome(
                done=False, errors={"commune": gettext("Hãy chọn xã, phường.")}, keep={"province": province}
            )
        if commune != persona.commune_code:
            return Outcome(
                done=False,
                errors={
                    "commune": gettext("Chưa đúng. Chọn xã, phường nơi bạn cư trú: %(name)s.")
                    % {"name": persona.commune_name}
                },
                keep={"province": province},
            )
    return Outcome(done=True, keep={"province": province, "commune": commune})


KIND = StepKind(
    "choose_agency",
    "Chọn cơ quan thực hiện",
    ChooseAgencyStepBlock,
    check,
    "courses/sandboxes/steps/choose_agency.html",
)
