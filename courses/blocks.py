"""Lesson building blocks. Each renders with its own template in templates/courses/blocks/."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from courses.choices import CalloutStyle

# Rich text stays simple and safe: no embeds, images or raw HTML from editors.
LESSON_RICH_TEXT = ["h3", "bold", "italic", "ol", "ul", "link"]
VIDEO_EXTENSIONS = (".mp4", ".webm")
# Providers whose player may be loaded when the learner taps (see LEARNER_CSP frame-src).
EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://www.youtube.com/embed/")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        template = "courses/blocks/heading.html"
        icon = "title"
        label = _("Tiêu đề mục")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Hình ảnh"))
    alt = blocks.CharBlock(
        label=_("Mô tả ảnh cho người không nhìn thấy"),
        max_length=250,
        help_text=_(
            "Bắt buộc. Nói ảnh cho thấy điều gì, ví dụ: “Màn hình đăng nhập VNeID có ô số định danh”."
        ),
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        template = "courses/blocks/image.html"
        icon = "image"
        label = _("Hình ảnh")


class VideoBlock(blocks.StructBlock):
    """A local video with captions and a transcript; an outside player only on request."""

    video = DocumentChooserBlock(label=_("Tệp video (.mp4 hoặc .webm)"))
    captions = DocumentChooserBlock(label=_("Phụ đề (.vtt)"))
    transcript = blocks.TextBlock(label=_("Lời thoại đầy đủ"))
    external_embed = blocks.URLBlock(
        label=_("Xem trên YouTube (không bắt buộc)"),
        required=False,
        help_text=_("Địa chỉ dạng https://www.youtube-nocookie.com/embed/…; chỉ tải khi người học bấm."),
    )

    class Meta:
        template = "courses/blocks/video.html"
        icon = "media"
        label = _("Video")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["video"] and not value["video"].file.name.lower().endswith(VIDEO_EXTENSIONS):
            errors["video"] = ValidationError(_("Tệp video phải là .mp4 hoặc .webm."))
        if value["captions"] and not value["captions"].file.name.lower().endswith(".vtt"):
            errors["captions"] = ValidationError(_("Phụ đề phải là tệp WebVTT (.vtt)."))
        if value["external_embed"] and not value["external_embed"].startswith(EMBED_PREFIXES):
            errors["external_embed"] = ValidationError(_("Chỉ nhận địa chỉ nhúng của YouTube."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class StepBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Việc cần làm"))
    screenshot = ImageChooserBlock(label=_("Ảnh màn hình"), required=False)
    screenshot_alt = blocks.CharBlock(label=_("Mô tả ảnh màn hình"), required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if value["screenshot"] and not value["screenshot_alt"]:
            raise StructBlockValidationError(
                block_errors={"screenshot_alt": ValidationError(_("Ảnh màn hình cần có mô tả."))}
            )
        return value


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tên hướng dẫn"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Các bước"), min_num=1)

    class Meta:
        template = "courses/blocks/steps.html"
        icon = "list-ol"
        label = _("Hướng dẫn từng bước")


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(choices=CalloutStyle.choices, default=CalloutStyle.TIP, label=_("Kiểu"))
    title = blocks.CharBlock(label=_("Tiêu đề"))
    text = blocks.TextBlock(label=_("Nội dung"))

    class Meta:
        template = "courses/blocks/callout.html"
        icon = "warning"
        label = _("Mẹo / lưu ý / cảnh báo lừa đảo")


class CheckpointBlock(blocks.StructBlock):
    """An ungraded question checked on the server; the answer never reaches the lesson HTML."""

    question = blocks.CharBlock(label=_("Câu hỏi"))
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Lựa chọn")), min_num=2, max_num=4, label=_("Các lựa chọn")
    )
    answer = blocks.IntegerBlock(label=_("Lựa chọn đúng (số thứ tự, bắt đầu từ 1)"), min_value=1, max_value=4)
    explanation = blocks.TextBlock(label=_("Giải thích (hiện sau khi trả lời)"))

    class Meta:
        template = "courses/blocks/checkpoint.html"
        icon = "help"
        label = _("Câu hỏi kiểm tra nhanh")

    def clean(self, value):
        value = super().clean(value)
        if value["answer"] > len(value["choices"]):
            raise StructBlockValidationError(
                block_errors={"answer": ValidationError(_("Số thứ tự lựa chọn đúng lớn hơn số lựa chọn."))}
            )
        return value


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Tài liệu"))
    description = blocks.CharBlock(label=_("Mô tả ngắn"), required=False)

    class Meta:
        template = "courses/blocks/download.html"
        icon = "doc-full"
        label = _("Tài liệu tải về")


class QuizBlock(blocks.StructBlock):
    """A short check inside a lesson: a card that opens the quiz (graded on the server)."""

    quiz = SnippetChooserBlock("quizzes.Quiz", label=_("Bài kiểm tra"))
    intro = blocks.CharBlock(
        label=_("Lời mời làm bài"),
        required=False,
        max_length=250,
        help_text=_("Ví dụ: “Làm 5 câu hỏi ngắn để xem bạn đã nắm bài chưa.”"),
    )

    class Meta:
        template = "courses/blocks/quiz.html"
        icon = "tasks"
        label = _("Bài kiểm tra ngắn")


class SandboxBlock(blocks.StructBlock):
    """A practice procedure inside a lesson: a card that opens the sandbox."""

    scenario = SnippetChooserBlock("courses.Scenario", label=_("Bài thực hành"))
    intro = blocks.CharBlock(label=_("Lời mời thực hành"), required=False, max_length=250)

    class Meta:
        template = "courses/blocks/sandbox.html"
        icon = "code"
        label = _("Bài thực hành")


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    rich_text = blocks.RichTextBlock(
        features=LESSON_RICH_TEXT, label=_("Đoạn văn"), template="courses/blocks/rich_text.html"
    )
    image = ImageBlock()
    video = VideoBlock()
    steps = StepsBlock()
    callout = CalloutBlock()
    checkpoint = CheckpointBlock()
    download = DownloadBlock()
    quiz = QuizBlock()
    sandbox = SandboxBlock()

    class Meta:
        block_counts = {"checkpoint": {"max_num": 3}}
