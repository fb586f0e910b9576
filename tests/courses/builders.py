"""Build course trees for tests through the same code the demo content uses."""

import itertools

from courses.demo import ensure_catalogue, lesson_body
from courses.models import CoursePage, LessonPage, ModulePage

_numbers = itertools.count(1)

CHECKPOINT = {
    "type": "checkpoint",
    "question": "Mã OTP có nên đưa cho người khác không?",
    "choices": ["Có, nếu họ nói là công an", "Không bao giờ"],
    "answer": 1,
    "explanation": "OTP chỉ dành cho bạn; ai hỏi OTP đều là kẻ gian.",
}


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_course(
    *,
    modules: int = 2,
    lessons_per_module: int = 3,
    in_order: bool = False,
    checkpoint_lessons=(),
    optional_lessons=(),
) -> CoursePage:
    """A live course; lesson numbers (1-based, course order) may get a checkpoint or be optional."""
    n = next(_numbers)
    while CoursePage.objects.filter(slug=f"khoa-hoc-thu-{n}").exists():  # built by another process
        n = next(_numbers)
    course = publish(
        ensure_catalogue(),
        CoursePage(
            title=f"Khoá học thử {n}",
            slug=f"khoa-hoc-thu-{n}",
            short_description="Một khoá học để kiểm thử.",
            skill_area="an_toan",
            target_groups=["nguoi_dan"],
            lessons_in_order=in_order,
        ),
    )
    number = 0
    for m in range(1, modules + 1):
        module = publish(course, ModulePage(title=f"Chuyên đề {m}", slug=f"chuyen-de-{m}"))
        for _ in range(lessons_per_module):
            number += 1
            blocks = [{"type": "paragraph", "text": f"<p>Nội dung bài {number}.</p>"}]
            if number in checkpoint_lessons:
                blocks.append(CHECKPOINT)
            publish(
                module,
                LessonPage(
                    title=f"Bài {number}",
                    slug=f"bai-{number}",
                    required=number not in optional_lessons,
                    body=lesson_body(blocks),
                ),
            )
    return course


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))
