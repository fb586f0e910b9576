import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage, ModulePage


class TestCourseTreeRules(WagtailPageTestCase):
    def test_catalogue_course_module_lesson(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_pages_only_go_where_they_belong(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(Page, CoursePage)


@pytest.mark.django_db
def test_only_one_catalogue():
    from courses.demo import ensure_catalogue

    first = ensure_catalogue()
    assert ensure_catalogue() == first
    assert not CourseIndexPage.can_create_at(HomePage.objects.get())
