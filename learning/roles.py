"""The community and reporting roles (DESIGN §4a), as groups with their permissions.

Facilitators (Tổ công nghệ số cộng đồng) work on the public site, on their phones: they open
classes and help their members. Programme managers read reports in the admin; a ReportScope
limits one to a province.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

FACILITATORS = "Hỗ trợ viên cộng đồng"
MANAGERS = "Quản lý chương trình"

ROLE_PERMISSIONS = {
    FACILITATORS: [("learning", "lead_classes")],
    MANAGERS: [("wagtailadmin", "access_admin"), ("learning", "view_reports")],
}


def ensure_roles() -> None:
    create_permissions(apps.get_app_config("learning"), verbosity=0)
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            )
        )


def is_facilitator(user) -> bool:
    return user.is_authenticated and user.has_perm("learning.lead_classes")


def can_view_reports(user) -> bool:
    return user.is_authenticated and user.has_perm("learning.view_reports")


def report_province_id(user) -> int | None:
    """The province a programme manager's reports are limited to, or None for the whole country."""
    scope = getattr(user, "report_scope", None) if user.is_authenticated else None
    return scope.province_id if scope is not None else None
