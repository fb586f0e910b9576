import pytest

from certificates.issuing import issue_certificate
from learning import progress
from learning.models import Enrollment
from tests.courses.builders import build_course, lessons_of


@pytest.fixture
def completed_course(learner):
    """A course (without a final quiz) the learner has completed."""
    course = build_course(modules=1, lessons_per_module=2)
    for lesson in lessons_of(course):
        progress.complete_lesson(learner, course, lesson)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at
    return course


@pytest.fixture
def certificate(learner, completed_course):
    return issue_certificate(learner, completed_course)
