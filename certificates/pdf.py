"""The printable certificate: A4 landscape, Vietnamese in an embedded font, a QR code to verify."""

import io

import fontpkg_noto_sans
import segno
from django.utils import timezone
from fpdf import FPDF

from certificates.models import Certificate

FONT = str(fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf")
RED = (179, 20, 28)
DARK_RED = (138, 15, 21)
INK = (26, 26, 26)
MUTED = (74, 74, 74)
GOLD = (176, 141, 60)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def render_pdf(certificate: Certificate, verify_url: str) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Chứng nhận - {certificate.learner_name} - {certificate.course_title}")
    pdf.set_author(certificate.issuer_name)
    pdf.set_creator("Bình dân học vụ số")
    pdf.set_auto_page_break(False)
    # One embedded font, its default (regular) instance. Making a bold instance of the variable
    # font costs seconds, so headings are emboldened by stroking the glyph outlines as well.
    pdf.add_font("Noto", "", FONT)
    pdf.add_page()
    width, height = pdf.w, pdf.h

    # A double frame, as on printed diplomas.
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, width - 16, height - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    pdf.rect(12, 12, width - 24, height - 24)

    def style(size: float, *, bold: bool = False, colour=INK) -> None:
        pdf.set_font("Noto", "", size)
        pdf.set_text_color(*colour)
        pdf.set_draw_color(*colour)
        pdf.text_mode = "FILL_STROKE" if bold else "FILL"
        pdf.set_line_width(size * 0.012)

    def centred(text: str, size: float, y: float, *, bold: bool = False, colour=INK) -> None:
        style(size, bold=bold, colour=colour)
        pdf.set_xy(20, y)
        pdf.cell(w=width - 40, h=size * 0.45, text=text, align="C")

    centred(certificate.issuer_name.upper(), 13, 24, bold=True, colour=DARK_RED)
    centred("CHỨNG NHẬN", 38, 40, bold=True, colour=RED)
    centred("HOÀN THÀNH KHOÁ HỌC KỸ NĂNG SỐ", 14, 60, bold=True, colour=MUTED)
    centred("Chứng nhận", 13, 76, colour=MUTED)
    centred(certificate.learner_name, 30, 86, bold=True)
    centred("đã hoàn thành khoá học", 13, 104, colour=MUTED)
    style(18, bold=True)
    pdf.set_xy(30, 113)
    pdf.multi_cell(w=width - 60, h=9, text=f"“{certificate.course_title}”", align="C")
    issued = timezone.localtime(certificate.issued_at)
    line = f"Cấp ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
    if certificate.score is not None:
        line += f" · Điểm bài kiểm tra cuối khoá: {certificate.score:g}%"
    centred(line, 12, 136, colour=MUTED)

    # Signatory, right; QR code and short code, left.
    style(12, bold=True)
    pdf.set_xy(width - 125, 150)
    pdf.cell(w=95, h=6, text=certificate.signatory_title, align="C")
    style(12)
    pdf.set_xy(width - 125, 178)
    pdf.cell(w=95, h=6, text=certificate.signatory_name, align="C")

    pdf.image(_qr_png(verify_url), x=30, y=144, w=38, h=38)
    style(11, bold=True)
    pdf.set_xy(24, 183)
    pdf.cell(w=50, h=5, text=certificate.display_code, align="C")
    style(8, colour=MUTED)
    pdf.set_xy(74, 160)
    pdf.multi_cell(
        w=80,
        h=4,
        text="Quét mã QR hoặc nhập mã tra cứu tại trang “Tra cứu chứng nhận” để kiểm tra chứng nhận này còn hiệu lực.",
        align="L",
    )
    pdf.set_xy(74, 176)
    pdf.multi_cell(w=90, h=4, text=verify_url)
    return bytes(pdf.output())
