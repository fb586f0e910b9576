"""Authored content: the site's pages, edited by officials in Wagtail."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

SAFE_RICH_TEXT = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class HomePage(Page):
    """The front door: what the platform is, and where to start."""

    intro = models.CharField(
        _("lời giới thiệu"),
        max_length=300,
        help_text=_("Một hai câu ngắn, nói với người dân bằng lời dễ hiểu."),
    )
    body = RichTextField(_("nội dung"), features=SAFE_RICH_TEXT, blank=True)
    call_to_action = models.CharField(_("nút kêu gọi"), max_length=60, default="Đăng ký học miễn phí")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("call_to_action"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = _("trang chủ")
