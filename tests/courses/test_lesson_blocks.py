import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from courses.blocks import VideoBlock
from courses.demo import draw_cover
from courses.models import LessonPage, ModulePage
from tests.courses.builders import build_course, publish

pytestmark = pytest.mark.django_db


def image() -> Image:
    return Image.objects.create(
        title="Ảnh thử", file=ImageFile(io.BytesIO(draw_cover("phone")), name="anh.png")
    )


def document(name: str, content: bytes = b"WEBVTT\n") -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def test_every_block_renders_with_its_template(client):
    course = build_course(modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    picture = image()
    lesson = publish(
        module,
        LessonPage(
            title="Bài đủ loại khối",
            slug="bai-du-loai-khoi",
            body=[
                ("heading", "Phần một"),
                ("rich_text", RichText("<p>Đoạn <b>quan trọng</b>.</p>")),
                ("image", {"image": picture, "alt": "Màn hình đăng nhập VNeID", "caption": "Hình 1"}),
                (
                    "video",
                    {
                        "video": document("gioi-thieu.mp4", b"\x00\x00\x00\x18ftypmp42"),
                        "captions": document("gioi-thieu.vtt"),
                        "transcript": "Xin chào các bạn.",
                        "external_embed": "https://www.youtube-nocookie.com/embed/abc123",
                    },
                ),
                (
                    "steps",
                    {
                        "title": "Làm theo",
                        "steps": [
                            {
                                "text": "Mở ứng dụng",
                                "screenshot": picture,
                                "screenshot_alt": "Biểu tượng VNeID",
                            },
                            {"text": "Bấm Đăng nhập", "screenshot": None, "screenshot_alt": ""},
                        ],
                    },
                ),
                ("callout", {"style": "scam", "title": "Không đưa OTP", "text": "Công an không hỏi OTP."}),
                ("download", {"document": document("huong-dan.pdf", b"%PDF-1.4"), "description": "Bản in"}),
            ],
        ),
    )
    client.force_login(build_learner())
    html = client.get(lesson.url).content.decode()

    assert '<h2 class="lesson-heading">Phần một</h2>' in html
    assert "<b>quan trọng</b>" in html
    assert 'alt="Màn hình đăng nhập VNeID"' in html and "<figcaption>Hình 1</figcaption>" in html
    assert 'srcset="' in html  # phone-sized renditions
    assert '<track kind="captions" srclang="vi"' in html
    assert 'preload="none"' in html  # the video costs nothing until played
    assert "Xin chào các bạn." in html and "<details" in html
    assert "<iframe" not in html  # the outside player loads only on the learner's tap
    assert 'href="https://www.youtube-nocookie.com/embed/abc123"' in html
    assert 'alt="Biểu tượng VNeID"' in html and "Bấm Đăng nhập" in html
    assert "callout--scam" in html and "Cảnh báo lừa đảo:" in html
    assert "huong-dan.pdf" in html or "Tải về: huong-dan.pdf" in html


def build_learner():
    from tests.factories import ProfileFactory

    return ProfileFactory().user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("video", ("bai.avi", b"x"), "Tệp video phải là .mp4 hoặc .webm."),
        ("captions", ("phu-de.srt", b"x"), "Phụ đề phải là tệp WebVTT (.vtt)."),
        ("external_embed", "https://evil.example/player", "Chỉ nhận địa chỉ nhúng của YouTube."),
    ],
)
def test_video_block_refuses_wrong_files_and_players(field, value, message):
    good = {
        "video": document("a.mp4", b"x"),
        "captions": document("a.vtt"),
        "transcript": "Lời thoại",
        "external_embed": "",
    }
    good[field] = document(*value) if isinstance(value, tuple) else value
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(block.get_prep_value(good)))
    assert message in str(error.value.block_errors[field])
