"""Build the demo question bank and final quizzes from quizzes/demo_content/*.toml (see its README)."""

import io
import re
import textwrap
import tomllib
from pathlib import Path

import fontpkg_noto_sans
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from quizzes.grading import Kind
from quizzes.models import Option, Question, Quiz, QuizDraw
from quizzes.models.bank import option_errors

CONTENT_DIR = Path(__file__).parent / "demo_content"
FONT = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUIZ_KEYS = {
    "title", "intro", "pass_percent", "attempts_allowed", "wait_minutes", "time_limit_minutes",
    "show_correct_answers", "show_explanations", "draw",
}  # fmt: skip
QUESTION_KEYS = {"kind", "tags", "text", "explanation", "options", "answer"}
OPTION_KEYS = {"text", "correct", "explanation", "picture"}
PICTURE_KINDS = {"address-bar": {"kind", "text"}, "sms": {"kind", "sender", "text"}}


class ContentError(ValueError):
    pass


def _check_keys(where: str, data: dict, allowed: set[str], required: set[str]) -> None:
    if unknown := set(data) - allowed:
        raise ContentError(f"{where}: unknown fields {sorted(unknown)}")
    if missing := required - set(data):
        raise ContentError(f"{where}: missing fields {sorted(missing)}")


def options_of(question: dict) -> list[dict]:
    """The question's options as the bank stores them (true/false gets "Đúng" and "Sai")."""
    if question["kind"] == Kind.TRUE_FALSE:
        return [
            {"text": "Đúng", "correct": question["answer"] is True},
            {"text": "Sai", "correct": question["answer"] is False},
        ]
    return question.get("options", [])


def validate_file(data: dict, source: str) -> None:
    """Refuse anything the format does not allow, naming the place."""
    _check_keys(source, data, {"course", "quiz", "questions"}, {"course", "quiz", "questions"})
    quiz = data["quiz"]
    _check_keys(f"{source}/quiz", quiz, QUIZ_KEYS, QUIZ_KEYS - {"intro"})
    if not 1 <= quiz["pass_percent"] <= 100:
        raise ContentError(f"{source}/quiz: pass_percent must be 1–100")
    for draw in quiz["draw"]:
        _check_keys(f"{source}/quiz/draw", draw, {"tag", "count"}, {"tag", "count"})
    texts = set()
    for n, question in enumerate(data["questions"], start=1):
        where = f"{source}/question {n}"
        _check_keys(where, question, QUESTION_KEYS, {"kind", "tags", "text", "explanation"})
        if question["kind"] not in Kind.__members__.values():
            raise ContentError(f"{where}: unknown kind {question['kind']!r}")
        if question["text"] in texts or len(question["text"]) > 500:
            raise ContentError(f"{where}: repeated or too long text")
        texts.add(question["text"])
        if not question["tags"] or not all(TAG.match(tag) for tag in question["tags"]):
            raise ContentError(f"{where}: tags must be lowercase words joined by hyphens")
        if (question["kind"] == Kind.TRUE_FALSE) != ("answer" in question) or (
            question["kind"] == Kind.TRUE_FALSE and "options" in question
        ):
            raise ContentError(
                f"{where}: true_false questions have an answer and no options, others the reverse"
            )
        for option in options_of(question):
            _check_keys(f"{where}/option", option, OPTION_KEYS, {"text"})
            if len(option["text"]) > 250:
                raise ContentError(f"{where}/option: text too long")
            if "picture" in option:
                picture = option["picture"]
                if picture.get("kind") not in PICTURE_KINDS:
                    raise ContentError(f"{where}/option: unknown picture kind")
                _check_keys(
                    f"{where}/option/picture",
                    picture,
                    PICTURE_KINDS[picture["kind"]],
                    PICTURE_KINDS[picture["kind"]],
                )
        options = [
            (option["text"], "picture" in option, bool(option.get("correct")))
            for option in options_of(question)
        ]
        if errors := option_errors(question["kind"], options):
            raise ContentError(f"{where}: {'; '.join(str(error) for error in errors)}")
    for draw in quiz["draw"]:
        tagged = sum(1 for question in data["questions"] if draw["tag"] in question["tags"])
        if tagged < draw["count"]:
            raise ContentError(
                f"{source}/quiz: draws {draw['count']} from {draw['tag']!r}, which has {tagged}"
            )


def read_files(directory: Path = CONTENT_DIR) -> list[dict]:
    files = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        validate_file(data, path.name)
        files.append(data)
    return files


# --- pictures ------------------------------------------------------------------------------


def _font(size: int, weight: str = "Regular") -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(FONT), size)
    font.set_variation_by_name(weight)
    return font


def draw_picture(picture: dict) -> bytes:
    """A phone browser's address bar or an SMS bubble, drawn for the project (inert: not a link)."""
    if picture["kind"] == "address-bar":
        image = PillowImage.new("RGB", (960, 240), "#f3f6f9")
        d = ImageDraw.Draw(image)
        d.rounded_rectangle((30, 60, 930, 180), 60, fill="white", outline="#9aa7b4", width=4)
        # The same grey padlock for every address: a padlock says nothing about who owns a site.
        d.arc((76, 88, 104, 118), 180, 360, fill="#5a6570", width=5)
        d.rounded_rectangle((70, 103, 110, 138), 5, fill="#5a6570")
        font = _font(44)
        text = picture["text"]
        while d.textlength(text, font=font) > 770 and len(text) > 8:
            text = text[:-2] + "…"
        d.text((140, 120), text, font=font, fill="#1a1a1a", anchor="lm")
    else:
        lines = textwrap.wrap(picture["text"], width=38)[:9]
        height = 60 + 52 * len(lines)
        image = PillowImage.new("RGB", (960, 160 + height), "#f3f6f9")
        d = ImageDraw.Draw(image)
        d.text((40, 50), picture["sender"], font=_font(40, "Bold"), fill="#1a1a1a")
        d.rounded_rectangle((30, 120, 930, 120 + height), 36, fill="#e4e6eb")
        for n, line in enumerate(lines):
            d.text((70, 150 + 52 * n), line, font=_font(38), fill="#1a1a1a")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def picture_image(picture: dict, title: str) -> Image:
    name = f"Hình câu hỏi: {title}"[:255]
    existing = Image.objects.filter(title=name).first()
    if existing:
        return existing
    # The file name says nothing about the answer; learners get the picture through their attempt.
    file = ImageFile(io.BytesIO(draw_picture(picture)), name="hinh-cau-hoi.png")
    return Image.objects.create(title=name, file=file)


# --- creating ------------------------------------------------------------------------------


def create_question(data: dict) -> Question:
    existing = Question.objects.filter(text=data["text"]).first()
    if existing:
        return existing
    question = Question(kind=data["kind"], text=data["text"], explanation=data["explanation"])
    question.save()
    question.tags.add(*data["tags"])
    question.save()
    for order, option in enumerate(options_of(data)):
        image = picture_image(option["picture"], option["text"]) if "picture" in option else None
        Option.objects.create(
            question=question,
            sort_order=order,
            text=option["text"],
            image=image,
            is_correct=bool(option.get("correct")),
            explanation=option.get("explanation", ""),
        )
    return question


def create_quiz(data: dict) -> Quiz | None:
    """Create the quiz unless one with its title exists (then officials own it: None)."""
    settings = data["quiz"]
    if Quiz.objects.filter(title=settings["title"]).exists():
        return None
    quiz = Quiz.objects.create(**{key: value for key, value in settings.items() if key != "draw"})
    for order, draw in enumerate(settings["draw"]):
        QuizDraw.objects.create(quiz=quiz, sort_order=order, tag=draw["tag"], count=draw["count"])
    return quiz


@transaction.atomic
def load_quizzes(directory: Path = CONTENT_DIR) -> dict[str, Quiz]:
    """Create every question and quiz not yet present; returns the new quizzes by course slug."""
    created = {}
    for data in read_files(directory):
        for question in data["questions"]:
            create_question(question)
        if quiz := create_quiz(data):
            created[data["course"]] = quiz
    return created
