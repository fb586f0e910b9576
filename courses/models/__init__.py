from .generation import PageGeneration
from .home import HomePage
from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .sandbox import Scenario, ScenarioLook

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "HomePage",
    "LessonPage",
    "ModulePage",
    "PageGeneration",
    "Scenario",
    "ScenarioLook",
]
