"""INP-4, CFG-6 — hostile files through every upload: officials' images and documents in the
Wagtail admin, and the file a learner picks in a sandbox (checked, then never stored)."""

import json
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from learning.models import SandboxRun, StepRecord
from tests.figures import figure
from tests.security.support import (
    RESIDENCE_FORM,
    png_bytes,
    post_step,
    start_run,
    temporary_residence_up_to_the_form,
)

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>'
)


def png_flood(width: int, height: int, *, complete: bool = True) -> bytes:
    """A black greyscale PNG of the given size: kilobytes on disk, megapixels once decoded (a
    pixel flood). Not ``complete``: only the first rows, as a decompression bomb would be sent."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor, row = zlib.compressobj(9), b"\x00" * (width + 1)
    pixels = (
        b"".join(compressor.compress(row) for _ in range(height if complete else 16)) + compressor.flush()
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# name, content, why it must be refused
HOSTILE_IMAGES = [
    ("bieu-tuong.svg", SVG, "SVG with script"),
    ("anh.png", HTML, "HTML named .png"),
    (
        "anh-gif.png",
        b"GIF89a/*<script>alert(1)</script>*/=1;" + b"\x00" * 64,
        "GIF/JavaScript polyglot named .png",
    ),
    ("anh.png", b"%PDF-1.7\n<html><script>alert(1)</script></html>", "PDF/HTML named .png"),
    ("anh.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "a program named .jpg"),
    # Wagtail takes the signature for a PNG and Pillow then fails to read it: a server error in
    # Wagtail itself (wagtail/wagtail#1354, wagtail/Willow#48), a message here (courses/images.py).
    ("anh.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "PNG signature then HTML"),
    ("bi-cat.png", png_flood(400, 300)[:98], "a PNG cut off in the middle of its pixels"),
    ("to-qua.png", png_flood(7_000, 7_000), "49 megapixels (over the 40 Mpx setting)"),
    ("bom.png", png_flood(30_000, 30_000, complete=False), "900 megapixels (Pillow's decompression bomb)"),
    ("nang-qua.png", png_bytes(8, 8) + b"\x00" * (10 * 1024 * 1024), "over 10 MB"),
]

ACTIVE_TYPES = ("text/html", "image/svg", "application/xhtml", "text/javascript", "application/javascript")

HOSTILE_DOCUMENTS = [
    ("trang.html", HTML, "HTML"),
    ("trang.htm", HTML, "HTML"),
    ("hinh.svg", SVG, "SVG with script"),
    ("trang.xhtml", HTML, "XHTML"),
    ("chay.js", b"alert(1)", "JavaScript"),
    ("chay.exe", b"MZ\x90\x00", "a program"),
]


@pytest.fixture
def stored_files():
    """Every file name in the default storage (in memory in the tests), to compare."""

    def listing(folder: str = "") -> set[str]:
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return set()
        return {f"{folder}/{name}" for name in files} | {
            path for sub in folders for path in listing(f"{folder}/{sub}".strip("/"))
        }

    return listing


def root_collection() -> int:
    return Collection.get_first_root_node().pk


def test_hostile_images_are_refused_with_a_message_and_nothing_is_stored(
    official, official_client, stored_files
):
    images_before, files_before = get_image_model().objects.count(), stored_files()
    refused = 0
    for name, content, why in HOSTILE_IMAGES:
        single = official_client.post(
            reverse("wagtailimages:add"),
            {"title": why, "collection": root_collection(), "file": SimpleUploadedFile(name, content)},
        )
        assert single.status_code == 200, why  # the form again, with its error
        errors = single.context["form"].errors.get("file")
        assert errors, f"{why}: accepted by the image form"
        multiple = official_client.post(
            reverse("wagtailimages:add_multiple"),
            {"files[]": SimpleUploadedFile(name, content), "collection": root_collection()},
        )
        answer = json.loads(multiple.content)
        assert answer["success"] is False and answer["error_message"], f"{why}: accepted by drag and drop"
        refused += 2
    assert get_image_model().objects.count() == images_before
    assert stored_files() == files_before
    figure(
        f"\n[INP-4] images: {len(HOSTILE_IMAGES)} hostile files × 2 upload forms: {refused} refused with a "
        "message, 0 stored; "
        "limits: 10 MB, 40 Mpx, no SVG"
    )


def test_a_real_image_is_still_accepted(official_client):
    response = official_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh thật",
            "collection": root_collection(),
            "file": SimpleUploadedFile("that.png", png_bytes(40, 30)),
        },
    )
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="Ảnh thật", width=40, height=30).exists()


def test_hostile_documents_are_refused_with_a_message_and_nothing_is_stored(official_client, stored_files):
    documents_before, files_before = get_document_model().objects.count(), stored_files()
    for name, content, why in HOSTILE_DOCUMENTS:
        response = official_client.post(
            reverse("wagtaildocs:add"),
            {"title": why, "collection": root_collection(), "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 200, why
        assert response.context["form"].errors.get("file"), f"{name}: accepted"
    assert get_document_model().objects.count() == documents_before
    assert stored_files() == files_before
    figure(f"\n[INP-4] documents: {len(HOSTILE_DOCUMENTS)} active-content types refused, 0 stored")


def test_documents_are_served_as_downloads_that_browsers_never_run(official_client, settings, tmp_path):
    """Allowed extensions with hostile content: served by Wagtail's view, never as active content."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    uploads = {
        "bai-tap.txt": (HTML, "attachment"),
        "danh-sach.csv": (b'=HYPERLINK("http://evil.example","x"),<script>alert(1)</script>', "attachment"),
        "phu-de.vtt": (b"WEBVTT\n\n00:00.000 --> 00:01.000\n<script>alert(1)</script>", "attachment"),
        "tai-lieu.docx": (HTML, "attachment"),
        # PDFs open in the browser's own viewer (Wagtail's WAGTAILDOCS_INLINE_CONTENT_TYPES default)
        # under "default-src 'none'", so even HTML with a .pdf name cannot run.
        "huong-dan.pdf": (HTML, "inline"),
    }
    anonymous = Client()
    for name, (content, disposition) in uploads.items():
        official_client.post(
            reverse("wagtaildocs:add"),
            {"title": name, "collection": root_collection(), "file": SimpleUploadedFile(name, content)},
        )
        document = get_document_model().objects.get(title=name)
        response = anonymous.get(document.url)
        assert response.status_code == 200, (name, response.status_code, response.get("Location"))
        assert response["Content-Disposition"].startswith(disposition), (
            name,
            response["Content-Disposition"],
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert not response["Content-Type"].startswith(ACTIVE_TYPES)
    figure(f"\n[CFG-6] documents served: {len(uploads)}; served as active content: 0")


# --- the file a learner picks in a sandbox -------------------------------------------------

PICKED = [
    ("hop-dong.png", HTML, False, "HTML named .png"),
    ("hop-dong.png", SVG, False, "SVG named .png"),
    ("hop-dong.png", b"GIF89a/*<script>alert(1)</script>*/", False, "GIF/JavaScript polyglot"),
    ("hop-dong.png", b"%PDF-1.7 <script>alert(1)</script>", False, "a PDF named .png"),
    ("hop-dong.pdf", b"MZ\x90\x00 not a pdf", False, "a program named .pdf"),
    ("hop-dong.pdf", b"%PDF-1.7 " + b"0" * (6 * 1024 * 1024), False, "a 6 MB PDF (limit 5 MB)"),
    # A PNG signature followed by HTML passes the signature check: it is a practice upload that is
    # read for 8 bytes and thrown away, never stored or served, so it can never be opened as HTML.
    ("hop-dong.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", True, "PNG signature then HTML"),
]


def test_sandbox_file_picks_are_checked_by_content_and_never_written(
    learner_client, scenarios, settings, tmp_path
):
    media, temporary = tmp_path / "media", tmp_path / "uploads"
    media.mkdir()
    temporary.mkdir()
    settings.MEDIA_ROOT = media
    settings.FILE_UPLOAD_TEMP_DIR = temporary
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    run = start_run(learner_client, "dang-ky-tam-tru")
    temporary_residence_up_to_the_form(learner_client, run)
    assert post_step(learner_client, run, **RESIDENCE_FORM).status_code == 302
    attach_step = SandboxRun.objects.get(pk=run.pk).step_index

    def snapshot() -> list[Path]:
        return sorted(tmp_path.rglob("*"))

    before = snapshot()
    tried = 0
    for name, content, accepted, why in PICKED:
        run.refresh_from_db()
        if run.step_index != attach_step:  # an accepted file moved the run on: start that step again
            break
        response = post_step(
            learner_client, run, giay_to_1="tai_len", tep_1=SimpleUploadedFile(name, content)
        )
        tried += 1
        if accepted:
            assert response.status_code == 302, why
        else:
            page = response.content.decode()
            assert response.status_code == 200, why
            assert "PDF, JPG hoặc PNG" in page or "tối đa 5 MB" in page, why
        assert snapshot() == before, f"{why}: a file was written"
    run.refresh_from_db()
    stored = str(run.kept) + str(list(StepRecord.objects.filter(run=run).values()))
    assert "<script>" not in stored and "alert(1)" not in stored
    figure(
        f"\n[INP-4] sandbox file picks tried: {tried}; refused: {sum(not p[2] for p in PICKED)}; "
        "files written to media or temp dirs: 0"
    )


def test_an_oversized_sandbox_upload_is_refused_before_it_is_read(
    learner_client, scenarios, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    run = start_run(learner_client, "dang-ky-tam-tru")
    temporary_residence_up_to_the_form(learner_client, run)
    post_step(learner_client, run, **RESIDENCE_FORM)
    step = SandboxRun.objects.get(pk=run.pk).step_index
    huge = SimpleUploadedFile("hop-dong.pdf", b"%PDF-1.7 " + b"0" * (11 * 1024 * 1024))
    response = post_step(learner_client, run, giay_to_1="tai_len", tep_1=huge)
    assert response.status_code == 302
    assert SandboxRun.objects.get(pk=run.pk).step_index == step
    told = learner_client.get(response["Location"]).content.decode()
    assert "Dữ liệu gửi lên quá lớn" in told and f"Bước {step + 1}/" in told
    assert list(tmp_path.iterdir()) == []
