"""The question bank: questions with options, tagged by skill and topic (plain tags, no page keys)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from quizzes.grading import Kind


class QuestionKind(models.TextChoices):
    SINGLE = Kind.SINGLE, _("Chọn một đáp án")
    MULTIPLE = Kind.MULTIPLE, _("Chọn nhiều đáp án")
    TRUE_FALSE = Kind.TRUE_FALSE, _("Đúng hay sai")
    IMAGE_CHOICE = Kind.IMAGE_CHOICE, _("Chọn hình đúng")
    ORDERING = Kind.ORDERING, _("Sắp xếp theo thứ tự")


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def tagged(self, tag: str):
        return self.filter(tags__name=tag)


class Question(index.Indexed, ClusterableModel):
    kind = models.CharField(_("loại câu hỏi"), max_length=16, choices=QuestionKind.choices)
    text = models.TextField(_("câu hỏi"), max_length=500)
    explanation = models.TextField(
        _("giải thích"),
        blank=True,
        help_text=_("Vì sao đáp án đúng là đúng. Người học thấy sau khi nộp bài, nếu bài kiểm tra cho xem."),
    )
    tags = ClusterTaggableManager(
        through=QuestionTag,
        blank=True,
        verbose_name=_("nhãn"),
        help_text=_("Kỹ năng và chủ đề, ví dụ: vneid, otp. Bài kiểm tra rút câu hỏi theo nhãn."),
    )
    active = models.BooleanField(
        _("đang dùng"), default=True, help_text=_("Bỏ chọn để không rút câu này vào lượt làm bài mới.")
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        InlinePanel(
            "options",
            label=_("Đáp án"),
            min_num=2,
            help_text=_(
                "Đánh dấu đáp án đúng. Câu “Đúng hay sai” có hai đáp án: Đúng, Sai. "
                "Câu sắp xếp: nhập các bước theo đúng thứ tự, không cần đánh dấu; người học sẽ thấy chúng bị xáo trộn."
            ),
        ),
        FieldPanel("explanation"),
        FieldPanel("tags"),
        FieldPanel("active"),
    ]
    search_fields = [index.SearchField("text"), index.AutocompleteField("text")]

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class Option(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(
        _("nội dung"),
        max_length=250,
        help_text=_("Với câu chọn hình, đây là mô tả hình cho người không nhìn thấy."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hình (câu chọn hình)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_correct = models.BooleanField(_("đúng"), default=False)
    explanation = models.CharField(_("giải thích đáp án này"), max_length=300, blank=True)

    panels = [FieldPanel("text"), FieldPanel("image"), FieldPanel("is_correct"), FieldPanel("explanation")]

    class Meta(Orderable.Meta):
        verbose_name = _("đáp án")
        verbose_name_plural = _("đáp án")

    def __str__(self) -> str:
        return self.text


def option_errors(kind: str, options: list[tuple[str, bool, bool]]) -> list[str]:
    """What is wrong with a question's options, as messages for the editor.

    ``options`` holds (text, has_image, is_correct) for each option, in order.
    """
    errors = []
    correct = sum(1 for _text, _image, right in options if right)
    count = len(options)
    if count < 2:
        errors.append(_("Câu hỏi cần ít nhất hai đáp án."))
    if count > 8:
        errors.append(_("Câu hỏi có nhiều nhất tám đáp án."))
    if kind in (Kind.SINGLE, Kind.IMAGE_CHOICE, Kind.TRUE_FALSE) and correct != 1:
        errors.append(_("Loại câu này cần đúng một đáp án được đánh dấu là đúng."))
    if kind == Kind.TRUE_FALSE and count != 2:
        errors.append(_("Câu “Đúng hay sai” có đúng hai đáp án: Đúng và Sai."))
    if kind == Kind.MULTIPLE and correct < 2:
        errors.append(
            _(
                "Câu chọn nhiều đáp án cần ít nhất hai đáp án đúng (nếu chỉ một, hãy chọn loại “Chọn một đáp án”)."
            )
        )
    if kind == Kind.MULTIPLE and correct == count:
        errors.append(_("Phải có ít nhất một đáp án sai, nếu không người học chọn tất cả là đủ."))
    if kind == Kind.IMAGE_CHOICE and not all(image for _text, image, _right in options):
        errors.append(_("Câu chọn hình cần một hình cho mỗi đáp án."))
    if kind == Kind.ORDERING and correct:
        errors.append(_("Câu sắp xếp không đánh dấu đáp án đúng: thứ tự bạn nhập chính là đáp án."))
    return errors
