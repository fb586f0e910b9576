"""A quiz: where its questions come from, and its rules (pass mark, attempts, time, review)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index


class Quiz(index.Indexed, ClusterableModel):
    title = models.CharField(_("tên bài kiểm tra"), max_length=200)
    intro = models.TextField(_("lời dặn trước khi làm bài"), blank=True)
    pass_percent = models.PositiveSmallIntegerField(
        _("điểm đạt (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("số lần được làm"), default=3, help_text=_("0 là không giới hạn.")
    )
    wait_minutes = models.PositiveIntegerField(_("chờ giữa hai lần làm (phút)"), default=0)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("thời gian làm bài (phút)"), default=0, help_text=_("0 là không giới hạn thời gian.")
    )
    show_correct_answers = models.BooleanField(_("cho xem đáp án đúng sau khi nộp"), default=True)
    show_explanations = models.BooleanField(_("cho xem giải thích sau khi nộp"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        InlinePanel(
            "draws",
            label=_("Rút câu hỏi"),
            min_num=1,
            help_text=_(
                "Mỗi dòng rút ngẫu nhiên một số câu có cùng nhãn, hoặc lấy một câu cụ thể. "
                "Mỗi lượt làm bài được rút và xáo trộn riêng."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_percent"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("wait_minutes")]),
            ],
            heading=_("Quy định"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_correct_answers"), FieldPanel("show_explanations")],
            heading=_("Sau khi nộp bài, người học được xem"),
            help_text=_("Điểm số và kết quả đạt/chưa đạt luôn được cho xem."),
        ),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = _("bài kiểm tra")

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return sum(draw.count for draw in self.draws.all())


class QuizDraw(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draws")
    tag = models.CharField(_("nhãn"), max_length=100, blank=True)
    question = models.ForeignKey(
        "quizzes.Question",
        verbose_name=_("hoặc một câu cụ thể"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField(
        _("số câu"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [FieldPanel("tag"), FieldPanel("question"), FieldPanel("count")]

    class Meta(Orderable.Meta):
        verbose_name = _("cách rút câu hỏi")
        verbose_name_plural = _("cách rút câu hỏi")

    def clean(self) -> None:
        if bool(self.tag) == bool(self.question_id):
            raise ValidationError(_("Hãy điền một nhãn hoặc chọn một câu hỏi (không cả hai)."))
        if self.question_id and self.count != 1:
            raise ValidationError({"count": _("Chọn một câu cụ thể thì số câu là 1.")})
