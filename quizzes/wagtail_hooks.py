"""The question bank, quizzes and accommodations in the Wagtail admin."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from quizzes.attempts import grant_accommodation
from quizzes.models import Accommodation, Question, Quiz
from quizzes.models.bank import option_errors


class QuestionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        options = [
            (
                form.cleaned_data.get("text", ""),
                bool(form.cleaned_data.get("image")),
                form.cleaned_data.get("is_correct"),
            )
            for form in self.formsets["options"].forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for message in option_errors(cleaned.get("kind", ""), options):
            self.add_error(None, message)
        return cleaned


Question.base_form_class = QuestionForm


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Ngân hàng câu hỏi")
    list_display = ["text", "kind", "active", "updated_at"]
    list_filter = ["kind", "active"]
    ordering = ["-updated_at"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Bài kiểm tra")
    list_display = ["title", "pass_percent", "time_limit_minutes", "attempts_allowed"]


class AccommodationForm(WagtailAdminModelForm):
    learner_login = forms.CharField(
        label=_("Người học"),
        max_length=150,
        help_text=_("Số điện thoại hoặc tên đăng nhập của người học."),
    )

    class Meta:
        model = Accommodation
        fields = ["quiz", "extra_minutes", "no_time_limit", "extra_attempts", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            learner = self.instance.learner
            self.fields["learner_login"].initial = learner.phone or learner.username

    def clean_learner_login(self):
        login = self.cleaned_data["learner_login"].strip()
        users = get_user_model().objects
        learner = users.filter(phone=login).first() or users.filter(username=login).first()
        if learner is None:
            raise forms.ValidationError(
                _("Không tìm thấy người học có số điện thoại hoặc tên đăng nhập này.")
            )
        return learner

    def clean(self):
        cleaned = super().clean()
        learner, quiz = cleaned.get("learner_login"), cleaned.get("quiz")
        if learner and quiz:
            duplicate = Accommodation.objects.filter(learner=learner, quiz=quiz).exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise forms.ValidationError(
                    _("Người học này đã có điều chỉnh cho bài kiểm tra này; hãy sửa điều chỉnh đó.")
                )
        return cleaned


class GrantMixin:
    """Saving an accommodation applies it to the learner's open attempt at once."""

    def save_instance(self):
        with transaction.atomic():
            self.form.instance.learner = self.form.cleaned_data["learner_login"]
            self.form.instance.granted_by = self.request.user
            instance = super().save_instance()
            grant_accommodation(instance)
        return instance


class AccommodationCreateView(GrantMixin, generic.CreateView):
    pass


class AccommodationEditView(GrantMixin, generic.EditView):
    pass


class AccommodationViewSet(ModelViewSet):
    model = Accommodation
    name = "quiz_accommodations"
    url_prefix = "quizzes/accommodations"
    icon = "time"
    menu_label = _("Thêm giờ, thêm lượt")
    add_to_admin_menu = False
    form_fields = ["quiz", "extra_minutes", "no_time_limit", "extra_attempts", "reason"]
    list_display = ["learner", "quiz", "extra_minutes", "no_time_limit", "extra_attempts", "granted_at"]
    add_view_class = AccommodationCreateView
    edit_view_class = AccommodationEditView

    def get_form_class(self, for_update=False):
        return AccommodationForm


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuizViewSet, AccommodationViewSet)
    menu_icon = "tasks"
    menu_label = _("Bài kiểm tra")
    menu_name = "quizzes"


register_snippet(QuizzesGroup)
