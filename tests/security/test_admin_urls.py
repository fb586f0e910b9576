"""ACL-2 — every URL under the admin, from the resolver, refused to everyone who is not an official.

Wagtail's own URLs, viewsets and every ``register_admin_urls`` hook are walked, filled with
existing objects' ids where there are some (1 elsewhere, "x" for text), and requested with GET
and POST as an anonymous visitor, as a learner and as a community facilitator. Programme
managers (who do reach the admin, scoped to a province) are being built separately and are not
covered here.
"""

from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from learning.roles import FACILITATORS
from tests.factories import ProfileFactory
from tests.figures import figure
from tests.quizzes.builders import make_question, make_quiz
from tests.security.support import example_path, png_bytes, walk_routes

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "admin/"
# Public by design: the admin's sign-in and password-reset pages, its icon sprite and the
# JavaScript translation catalogue (static assets the sign-in page itself needs).
PUBLIC_BY_DESIGN = {
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}
REFUSALS = {302, 403, 404, 405}


def admin_routes():
    return [route for route in walk_routes() if route.route.startswith(ADMIN_PREFIX)]


@pytest.fixture
def ids(db) -> dict[str, int]:
    """Real objects for the walk to name, by the URL prefix that shows them."""
    image = get_image_model().objects.create(
        title="Ảnh", file=SimpleUploadedFile("anh.png", png_bytes(8, 8)), width=8, height=8
    )
    document = get_document_model().objects.create(
        title="Tài liệu", file=SimpleUploadedFile("tai-lieu.txt", b"Noi dung")
    )
    question = make_question()
    quiz = make_quiz(count=1)
    return {
        "admin/pages/": Page.objects.filter(depth=2).first().pk,
        "admin/images/": image.pk,
        "admin/documents/": document.pk,
        "admin/snippets/quizzes/question/": question.pk,
        "admin/snippets/quizzes/quiz/": quiz.pk,
        "admin/bai-kiem-tra/": quiz.pk,
        "admin/groups/": Group.objects.get(name=FACILITATORS).pk,
    }


def value_for(route: str, ids: dict[str, int]):
    number = next((pk for prefix, pk in ids.items() if route.startswith(prefix)), 1)
    return lambda name, kind: number if kind in ("int", "regex") else "x"


def test_no_admin_url_answers_anyone_but_officials(ids):
    facilitator = ProfileFactory(user__username="hotro_vien").user
    facilitator.groups.add(Group.objects.get(name=FACILITATORS))
    learner = ProfileFactory(user__username="hoc_vien").user
    clients = {"anonymous": Client(), "learner": Client(), "facilitator": Client()}
    users = {"learner": learner, "facilitator": facilitator}

    routes = admin_routes()
    statuses: dict[str, Counter] = {role: Counter() for role in clients}
    unresolved, violations = [], []
    for route in routes:
        path = example_path(route.route, value_for(route.route, ids))
        try:
            resolve(path)
        except Resolver404:
            unresolved.append(path)
            continue
        for role, client in clients.items():
            for method in ("get", "post"):
                if role in users:
                    client.force_login(users[role])
                try:
                    response = getattr(client, method)(path)
                except Exception as error:  # an admin view that crashes for a stranger is a finding too
                    violations.append(f"{role} {method.upper()} {path}: raised {error!r}")
                    continue
                status = response.status_code
                statuses[role][status] += 1
                what = f"{role} {method.upper()} {path} ({route.name}) → {status}"
                if route.name in PUBLIC_BY_DESIGN:
                    continue
                if status not in REFUSALS:
                    violations.append(f"{what}: not refused")
                elif status == 302:
                    target = urlsplit(response["Location"]).path
                    if target != "/admin/login/":
                        violations.append(f"{what}: redirects to {target}, not to the admin sign-in")

    figure(f"\n[ACL-2] admin URLs walked: {len(routes)} (paths that did not resolve: {len(unresolved)})")
    for role, counter in statuses.items():
        figure(f"[ACL-2] {role}: " + ", ".join(f"{code}×{n}" for code, n in sorted(counter.items())))
    figure(f"[ACL-2] public by design: {sorted(PUBLIC_BY_DESIGN)}; violations: {len(violations)}")
    assert not unresolved, unresolved
    assert not violations, "\n".join(violations)
