"""Sandbox scenarios: a practice procedure authored in the admin as a list of typed steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from courses.sandboxes.kinds import REGISTRY


class ScenarioStepsBlock(blocks.StreamBlock):
    """One child block per registered step kind."""

    def __init__(self, **kwargs):
        super().__init__([(kind.name, kind.block()) for kind in REGISTRY.values()], **kwargs)


class ScenarioLook(models.TextChoices):
    PORTAL = "portal", _("Cổng Dịch vụ công (trên web)")
    VNEID = "vneid", _("Ứng dụng VNeID (trên điện thoại)")
    PHONE = "phone", _("Tin nhắn, cuộc gọi trên điện thoại")


class Scenario(index.Indexed, models.Model):
    title = models.CharField(_("tên bài thực hành"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)
    summary = models.TextField(
        _("tình huống"), help_text=_("Kể tình huống cho người học: ai, cần làm gì, vì sao.")
    )
    look = models.CharField(
        _("giao diện mô phỏng"), max_length=10, choices=ScenarioLook.choices, default=ScenarioLook.PORTAL
    )
    persona_level = models.PositiveSmallIntegerField(
        _("mức tài khoản VNeID của nhân vật"), choices=[(1, _("Mức 1")), (2, _("Mức 2"))], default=2
    )
    steps = StreamField(ScenarioStepsBlock(), verbose_name=_("các bước"))
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("look"), FieldPanel("persona_level")], heading=_("Mô phỏng")),
        FieldPanel("steps"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("bài thực hành")
        verbose_name_plural = _("bài thực hành")

    def __str__(self) -> str:
        return self.title
