"""Pay a fee through the mock national payment gateway: the right amount, to a state payee.

In the scam variant the request names a personal account as payee: the safe answer is to refuse.
"""

import hashlib

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind, format_vnd

CHANNELS = ["Ngân hàng (ứng dụng ngân hàng)", "Ví điện tử", "Thẻ ATM nội địa (Napas)"]


class PayFeeStepBlock(blocks.StructBlock):
    fee_name = blocks.CharBlock(label=_("Khoản phí, lệ phí"), max_length=200)
    amount = blocks.IntegerBlock(label=_("Số tiền (đồng)"), min_value=1)
    legal_basis = blocks.CharBlock(label=_("Căn cứ"), max_length=250)
    payee = blocks.CharBlock(label=_("Đơn vị thụ hưởng"), max_length=200)
    personal_payee = blocks.BooleanBlock(
        label=_("Biến thể lừa đảo: người nhận là tài khoản cá nhân"),
        required=False,
        default=False,
        help_text=_("Khi chọn, việc đúng là không thanh toán."),
    )

    class Meta:
        icon = "dollar"
        label = _("Nộp phí, lệ phí")


def parse_amount(text: str) -> int | None:
    digits = (
        (text or "").replace(".", "").replace(",", "").replace(" ", "").removesuffix("đ").removesuffix("đồng")
    )
    return int(digits) if digits.isdigit() else None


def receipt_number(persona, step_index: int) -> str:
    digest = hashlib.sha256(f"{persona.seed}:bien-lai-{step_index}".encode()).hexdigest()
    return f"BL{int(digest[:10], 16) % 10**10:010d}"


def check(settings, data, persona, state) -> Outcome:
    decision = data.get("quyet_dinh") or ""
    if settings.get("personal_payee"):
        if decision == "tu_choi":
            return Outcome(done=True, keep={"refused": True})
        if decision == "thanh_toan":
            return Outcome(
                done=False,
                hints=[
                    gettext(
                        "Dừng lại! Người nhận là một tài khoản cá nhân. Phí, lệ phí nhà nước không bao giờ nộp vào "
                        "tài khoản cá nhân: đừng thanh toán, hãy báo cho cơ quan giải quyết hồ sơ."
                    )
                ],
            )
        return Outcome(
            done=False, errors={"quyet_dinh": gettext("Hãy chọn: thanh toán hay không.")}, mistake=False
        )
    if decision == "tu_choi":
        return Outcome(
            done=False,
            hints=[
                gettext(
                    "Yêu cầu này đúng: người nhận là cơ quan nhà nước và số tiền khớp với lệ phí. Bạn có thể thanh toán."
                )
            ],
        )
    errors = {}
    if (data.get("kenh") or "") not in CHANNELS:
        errors["kenh"] = gettext("Hãy chọn cách thanh toán.")
    amount = parse_amount(data.get("so_tien") or "")
    if amount is None:
        errors["so_tien"] = gettext("Hãy nhập số tiền bằng chữ số, ví dụ 7000.")
    elif amount != int(settings["amount"]):
        errors["so_tien"] = gettext(
            "Số tiền phải đúng bằng lệ phí trên yêu cầu thanh toán: %(amount)s đồng."
        ) % {"amount": f"{int(settings['amount']):,}".replace(",", ".")}
    if data.get("xac_nhan") != "1":
        errors["xac_nhan"] = gettext("Hãy xác nhận giao dịch trên điện thoại giả lập.")
    if errors:
        return Outcome(done=False, errors=errors)
    return Outcome(
        done=True,
        keep={
            "paid": int(settings["amount"]),
            "channel": data.get("kenh"),
            "receipt": receipt_number(persona, state.get("step_index", 0)),
            "paid_at": state["now"].isoformat() if state.get("now") else "",
        },
        hints=[gettext("Giao dịch thành công. Hãy tải biên lai điện tử về và giữ lại.")],
    )


KIND = StepKind(
    "pay_fee",
    "Nộp phí, lệ phí",
    PayFeeStepBlock,
    check,
    "courses/sandboxes/steps/pay_fee.html",
    context=lambda view: {"channels": CHANNELS, "amount": format_vnd(view.settings["amount"])},
)
