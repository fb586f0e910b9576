"""The course tree: catalogue → course → module (chuyên đề) → lesson."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses.blocks import LessonBodyBlock
from courses.choices import LearnerGroup, Level, SkillArea

SAFE_RICH_TEXT = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class CourseIndexPage(Page):
    """The catalogue of courses."""

    intro = RichTextField(_("lời giới thiệu"), features=SAFE_RICH_TEXT, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục khoá học")
        verbose_name_plural = _("danh mục khoá học")


class CoursePageForm(WagtailAdminPageForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Dành cho"),
        choices=LearnerGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Bỏ trống nếu khoá học dành cho mọi người."),
    )


class CoursePage(Page):
    short_description = models.CharField(_("mô tả ngắn"), max_length=250)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh bìa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skill_area = models.CharField(_("kỹ năng"), max_length=32, choices=SkillArea.choices)
    target_groups = models.JSONField(_("dành cho"), default=list, blank=True)
    level = models.CharField(_("trình độ"), max_length=16, choices=Level.choices, default=Level.BASIC)
    estimated_minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=30)
    lessons_in_order = models.BooleanField(
        _("học lần lượt từng bài"),
        default=False,
        help_text=_("Người học phải xong các bài bắt buộc phía trước mới mở được bài sau."),
    )
    outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Điều sẽ học được")))],
        verbose_name=_("bạn sẽ học được"),
        blank=True,
    )
    required_scenarios = ParentalManyToManyField(
        "courses.Scenario",
        verbose_name=_("bài thực hành bắt buộc"),
        blank=True,
        related_name="+",
        help_text=_("Người học phải làm xong các bài thực hành này mới hoàn thành khoá học."),
    )
    final_quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("bài kiểm tra cuối khoá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Nếu chọn, người học phải làm đạt bài này mới hoàn thành khoá học."),
    )

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("short_description"),
        FieldPanel("cover_image"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("skill_area"),
                FieldPanel("target_groups"),
                FieldPanel("level"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Phân loại"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("lessons_in_order"),
                FieldPanel("required_scenarios", widget=forms.CheckboxSelectMultiple),
                FieldPanel("final_quiz"),
            ],
            heading=_("Quy tắc hoàn thành"),
            help_text=_(
                "Khoá học hoàn thành khi người học xong mọi bài có đánh dấu “bắt buộc”, "
                "làm xong các bài thực hành bắt buộc và làm đạt bài kiểm tra cuối khoá (nếu có)."
            ),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    route_select_related = ("final_quiz",)  # courses/routing.py

    class Meta:
        verbose_name = _("khoá học")
        verbose_name_plural = _("khoá học")

    def target_group_labels(self) -> list[str]:
        labels = dict(LearnerGroup.choices)
        return [labels[code] for code in self.target_groups if code in labels]


class ModulePage(Page):
    """A chuyên đề: a group of lessons inside a course."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("chuyên đề")
        verbose_name_plural = _("chuyên đề")


class LessonPage(Page):
    summary = models.CharField(_("tóm tắt"), max_length=250, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=5)
    required = models.BooleanField(
        _("bắt buộc"), default=True, help_text=_("Phải học xong bài này mới hoàn thành khoá học.")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("nội dung"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("estimated_minutes"), FieldPanel("required")], heading=_("Bài học")),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài học")
        verbose_name_plural = _("bài học")

    def get_context(self, request, *args, **kwargs):
        from courses.rendering import render_body

        context = super().get_context(request, *args, **kwargs)
        # Previews and plain serving show the questions without a form; the learner's view
        # (learning) replaces this with checkpoints that can be answered.
        context["lesson_body"] = render_body(self, context, lambda block_id: {})
        return context

    def checkpoints(self) -> dict:
        """The lesson's checkpoint questions by block id (answers included: server side only).

        Read from the raw stream so other blocks (images...) are not loaded.
        """
        block_def = self.body.stream_block.child_blocks["checkpoint"]
        return {
            raw["id"]: block_def.to_python(raw["value"])
            for raw in self.body.raw_data
            if raw["type"] == "checkpoint"
        }
