"""Build questions and quizzes for tests, the way an official would in the admin."""

import itertools

from quizzes.models import Option, Question, Quiz, QuizDraw

_numbers = itertools.count(1)

KINDS = {
    "single": (["Không bao giờ", "Khi công an gọi điện hỏi", "Khi ngân hàng nhắn tin hỏi"], [0]),
    "multiple": (["Mã OTP", "Mật khẩu", "Tên tỉnh bạn ở", "Mã PIN thẻ"], [0, 1, 3]),
    "true_false": (["Đúng", "Sai"], [1]),
    "ordering": (["Đăng nhập", "Chọn thủ tục", "Điền tờ khai", "Nộp hồ sơ"], None),
}


def make_question(kind: str = "single", *, tag: str = "kiem-thu", text: str | None = None, active: bool = True,
                  options: list[str] | None = None, correct: list[int] | None = None) -> Question:  # fmt: skip
    n = next(_numbers)
    default_options, default_correct = KINDS.get(kind, KINDS["single"])
    options = options or default_options
    correct = default_correct if correct is None else correct
    question = Question.objects.create(
        kind=kind,
        text=text or f"Câu hỏi kiểm thử số {n}: khi nào được đưa mã OTP cho người khác?",
        explanation=f"GIAI-THICH-CAU-{n}: OTP chỉ dành cho chính bạn.",
        active=active,
    )
    question.tags.add(tag)
    question.save()
    for order, text_ in enumerate(options):
        Option.objects.create(
            question=question,
            sort_order=order,
            text=f"{text_} [{n}.{order}]",
            is_correct=correct is not None and order in correct,
            explanation=f"GIAI-THICH-DAP-AN-{n}.{order}",
        )
    return question


def make_quiz(*, tag: str = "kiem-thu", count: int = 5, **settings) -> Quiz:
    quiz = Quiz.objects.create(title=f"Bài kiểm tra thử {next(_numbers)}", **settings)
    QuizDraw.objects.create(quiz=quiz, tag=tag, count=count)
    return quiz


def bank(
    kinds=("single", "multiple", "true_false", "ordering", "single", "single"), tag: str = "kiem-thu"
) -> list[Question]:
    return [make_question(kind, tag=tag) for kind in kinds]
