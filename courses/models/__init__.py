from .home import HomePage
from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage

__all__ = ["CourseIndexPage", "CoursePage", "HomePage", "LessonPage", "ModulePage"]
