"""The printable certificate: Vietnamese text that can be read back, and a QR that scans."""

import io
import time

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from certificates.pdf import render_pdf
from learning.models import Profile

pytestmark = pytest.mark.django_db

VERIFY = "https://hocvuso.example.vn/chung-nhan/abc/"


def test_the_pdf_is_a4_landscape_with_the_vietnamese_name_and_the_short_code(certificate, learner):
    Profile.objects.filter(user=learner).update(full_name="Nguyễn Thị Ngọc Hường")
    certificate.learner_name = "Nguyễn Thị Ngọc Hường"
    started = time.perf_counter()
    data = render_pdf(certificate, VERIFY)
    print(f"certificate PDF: {len(data)} bytes in {1000 * (time.perf_counter() - started):.0f} ms")
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = page.extract_text()
    for expected in (
        "Nguyễn Thị Ngọc Hường",
        "CHỨNG NHẬN",
        certificate.course_title,
        certificate.display_code,
    ):
        assert expected in text, expected
    fonts = {str(font) for font in page["/Resources"]["/Font"].values()}
    assert fonts  # the text is drawn with an embedded font
    assert any("/FontFile2" in str(f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object())
               for f in page["/Resources"]["/Font"].values())  # fmt: skip


def test_the_qr_code_in_the_pdf_decodes_to_the_verification_url(certificate):
    document = pypdfium2.PdfDocument(render_pdf(certificate, VERIFY))
    image = document[0].render(scale=3).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert [barcode.text for barcode in found] == [VERIFY]
