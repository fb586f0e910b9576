"""Sandbox scenarios in the admin: officials build them from typed steps."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Scenario


class ScenarioViewSet(SnippetViewSet):
    model = Scenario
    icon = "code"
    menu_label = _("Bài thực hành")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "look", "updated_at"]


register_snippet(ScenarioViewSet)
