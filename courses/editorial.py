"""The editorial set-up every site needs: editors write, approvers review and publish."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Biên tập viên"
APPROVERS = "Phê duyệt"
WORKFLOW = "Duyệt nội dung khoá học"
APPROVAL_TASK = "Phê duyệt nội dung"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
APPROVER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]

# The question bank, quizzes and sandbox scenarios are content too: editors write them,
# approvers also grant learners extra time or attempts (DESIGN §4a).
QUIZ_CONTENT_PERMISSIONS = [
    ("quizzes", f"{action}_{model}") for model in ("question", "quiz") for action in ("add", "change", "view")
]
SCENARIO_PERMISSIONS = [("courses", f"{action}_scenario") for action in ("add", "change", "view")]
EDITOR_MODEL_PERMISSIONS = [*QUIZ_CONTENT_PERMISSIONS, *SCENARIO_PERMISSIONS]
APPROVER_MODEL_PERMISSIONS = [
    *QUIZ_CONTENT_PERMISSIONS,
    *SCENARIO_PERMISSIONS,
    ("courses", "delete_scenario"),
    ("quizzes", "delete_question"),
    ("quizzes", "delete_quiz"),
    ("quizzes", "add_accommodation"),
    ("quizzes", "change_accommodation"),
    ("quizzes", "view_accommodation"),
]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_editorial_setup() -> None:
    """Create (or repair) the two groups, their permissions and the approval workflow."""
    site_root = Page.objects.filter(depth=2).order_by("path").first()
    collection = Collection.get_first_root_node()
    if site_root is None or collection is None:
        return
    # This runs before Django's own post_migrate handler has created these apps' permissions.
    for app_label in ("courses", "quizzes"):
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    approvers, _ = Group.objects.get_or_create(name=APPROVERS)
    access_admin = _permission("wagtailadmin", "access_admin")
    for group, page_permissions, model_permissions in [
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_MODEL_PERMISSIONS),
        (approvers, APPROVER_PAGE_PERMISSIONS, APPROVER_MODEL_PERMISSIONS),
    ]:
        group.permissions.add(access_admin)
        group.permissions.add(
            *(_permission(app_label, codename) for app_label, codename in model_permissions)
        )
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=site_root, permission=_permission("wagtailcore", codename)
            )
        for app_label, codename in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )
    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK)
    task.groups.add(approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=site_root, defaults={"workflow": workflow})
