"""The practice e-receipt (biên lai điện tử) of a paid sandbox fee, as a PDF to download and keep.

It looks like a receipt and reads like one, but every page says it is a practice copy with no
value, and it carries only the persona's synthetic data.
"""

from datetime import datetime

import fontpkg_noto_sans
from django.utils import timezone
from fpdf import FPDF

from courses.sandboxes.steps import format_vnd
from learning import sandboxes
from learning.models import SandboxRun

FONT = str(fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf")
RED = (179, 20, 28)
INK = (26, 26, 26)
MUTED = (74, 74, 74)


def paid_steps(run: SandboxRun) -> list[int]:
    """The indexes of the run's steps that were paid, in order."""
    return sorted(int(index) for index, kept in run.kept.items() if "receipt" in kept)


def render_receipt(run: SandboxRun, index: int) -> bytes:
    kept = run.kept[str(index)]
    settings = sandboxes.step_at(run, index).settings
    persona = sandboxes.persona_of(run)
    paid_at = datetime.fromisoformat(kept["paid_at"]) if kept.get("paid_at") else run.updated_at
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5
    pdf.set_title(f"Biên lai điện tử {kept['receipt']} (thực hành)")
    pdf.set_creator("Bình dân học vụ số")
    pdf.add_font("Noto", "", FONT)
    pdf.add_page()
    pdf.set_margins(14, 14, 14)

    def line(text: str, size: float = 10, colour=INK, height: float = 6, align: str = "L") -> None:
        pdf.set_font("Noto", "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(w=0, h=height, text=text, align=align, new_x="LMARGIN", new_y="NEXT")

    line("BẢN THỰC HÀNH — KHÔNG CÓ GIÁ TRỊ THANH TOÁN", 9, RED, align="C")
    pdf.ln(2)
    line("BIÊN LAI THU PHÍ, LỆ PHÍ", 15, INK, 8, "C")
    line("(Biên lai điện tử, mô phỏng)", 9, MUTED, align="C")
    pdf.ln(4)
    rows = [
        ("Số biên lai", kept["receipt"]),
        ("Ngày giờ", timezone.localtime(paid_at).strftime("%H:%M %d/%m/%Y")),
        ("Người nộp", persona.full_name),
        ("Địa chỉ", persona.address),
        ("Khoản thu", settings["fee_name"]),
        ("Căn cứ", f"{settings['legal_basis']} (mức tham khảo)"),
        ("Số tiền", f"{format_vnd(kept['paid'])} đồng"),
        ("Hình thức", kept.get("channel") or ""),
        ("Đơn vị thu", settings["payee"]),
    ]
    for label, value in rows:
        line(f"{label}: {value}", 10.5)
    pdf.ln(4)
    line(
        "Giữ biên lai này: khi cần đối chiếu, bạn đưa số biên lai cho cơ quan giải quyết hồ sơ. "
        "Ngoài đời, biên lai thật tải về từ Cổng Dịch vụ công, không ai gửi qua tin nhắn.",
        9,
        MUTED,
        5,
    )
    return bytes(pdf.output())
