"""Build the Vietnamese demo curriculum from courses/demo_content/*.toml (see its README)."""

import io
import re
import tomllib
from pathlib import Path

from anyascii import anyascii
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from courses.choices import CalloutStyle, LearnerGroup, Level, SkillArea
from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage, ModulePage
from courses.sandboxes.demo import load_scenarios
from quizzes.demo import load_quizzes
from quizzes.models import Quiz

CONTENT_DIR = Path(__file__).parent / "demo_content"
COVERS = {"phone", "id-card", "portal", "wallet", "shield"}
COURSE_KEYS = {
    "slug", "title", "short_description", "skill_area", "learner_groups", "level",
    "estimated_minutes", "lessons_in_order", "cover", "outcomes", "modules",
}  # fmt: skip
MODULE_KEYS = {"title", "intro", "lessons"}
LESSON_KEYS = {"slug", "title", "summary", "estimated_minutes", "required", "blocks"}
BLOCK_KEYS = {
    "heading": {"text"},
    "paragraph": {"text"},
    "steps": {"title", "steps"},
    "callout": {"style", "title", "text"},
    "checkpoint": {"question", "choices", "answer", "explanation"},
}
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "h3", "b", "i"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(ValueError):
    pass


def _check_keys(where: str, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    missing = allowed - set(data) - {"intro", "summary", "title"}
    if unknown:
        raise ContentError(f"{where}: unknown fields {sorted(unknown)}")
    if missing and where.count("/") == 0 and missing & {"slug", "title", "modules"}:
        raise ContentError(f"{where}: missing fields {sorted(missing)}")


def _check_html(where: str, html: str) -> None:
    for tag in re.findall(r"</?([a-zA-Z0-9]+)", html):
        if tag.lower() not in ALLOWED_TAGS:
            raise ContentError(f"{where}: tag <{tag}> is not allowed")


def validate_course(data: dict, source: str) -> None:
    """Refuse anything the format does not allow, naming the place."""
    _check_keys(source, data, COURSE_KEYS)
    if not SLUG.match(data["slug"]):
        raise ContentError(f"{source}: bad slug {data['slug']!r}")
    if data["skill_area"] not in SkillArea.values:
        raise ContentError(f"{source}: unknown skill_area {data['skill_area']!r}")
    if data["level"] not in Level.values:
        raise ContentError(f"{source}: unknown level {data['level']!r}")
    if set(data["learner_groups"]) - set(LearnerGroup.values):
        raise ContentError(f"{source}: unknown learner group")
    if data["cover"] not in COVERS:
        raise ContentError(f"{source}: unknown cover {data['cover']!r}")
    slugs = set()
    for m, module in enumerate(data["modules"], start=1):
        _check_keys(f"{source}/module {m}", module, MODULE_KEYS)
        for lesson in module["lessons"]:
            where = f"{source}/{lesson.get('slug')}"
            _check_keys(where, lesson, LESSON_KEYS)
            if not SLUG.match(lesson["slug"]) or lesson["slug"] in slugs:
                raise ContentError(f"{where}: bad or repeated slug")
            slugs.add(lesson["slug"])
            for block in lesson["blocks"]:
                kind = block.get("type")
                if kind not in BLOCK_KEYS:
                    raise ContentError(f"{where}: unknown block type {kind!r}")
                _check_keys(
                    f"{where}/{kind}", {k: v for k, v in block.items() if k != "type"}, BLOCK_KEYS[kind]
                )
                if kind == "paragraph":
                    _check_html(where, block["text"])
                if kind == "callout" and block["style"] not in CalloutStyle.values:
                    raise ContentError(f"{where}: unknown callout style {block['style']!r}")
                if kind == "checkpoint" and not (0 <= block["answer"] < len(block["choices"]) <= 4):
                    raise ContentError(f"{where}: checkpoint answer out of range")


def read_courses(directory: Path = CONTENT_DIR) -> list[dict]:
    courses = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        validate_course(data, path.name)
        courses.append(data)
    return courses


# --- blocks --------------------------------------------------------------------------------


def _rich_text(html: str) -> RichText:
    # Wagtail stores bold and italic as <b> and <i>.
    for old, new in (("strong", "b"), ("em", "i")):
        html = html.replace(f"<{old}>", f"<{new}>").replace(f"</{old}>", f"</{new}>")
    if not html.lstrip().startswith("<"):
        html = f"<p>{html}</p>"
    return RichText(html)


def lesson_body(blocks: list[dict]) -> list[tuple[str, object]]:
    body: list[tuple[str, object]] = []
    for block in blocks:
        kind = block["type"]
        if kind == "heading":
            body.append(("heading", block["text"]))
        elif kind == "paragraph":
            body.append(("rich_text", _rich_text(block["text"])))
        elif kind == "steps":
            steps = [{"text": text, "screenshot": None, "screenshot_alt": ""} for text in block["steps"]]
            body.append(("steps", {"title": block.get("title", ""), "steps": steps}))
        elif kind == "callout":
            body.append(("callout", {key: block[key] for key in ("style", "title", "text")}))
        elif kind == "checkpoint":
            body.append(
                (
                    "checkpoint",
                    {
                        "question": block["question"],
                        "choices": block["choices"],
                        "answer": block["answer"] + 1,  # the block counts from 1, like people do
                        "explanation": block["explanation"],
                    },
                )
            )
    return body


# --- covers --------------------------------------------------------------------------------

_PALETTE = {
    "phone": ("#e8f0fb", "#0b4f9c"),
    "id-card": ("#fdeeee", "#b3141c"),
    "portal": ("#e8f5ec", "#1d6b2f"),
    "wallet": ("#fff4d6", "#8a5a00"),
    "shield": ("#efe9fb", "#4b2a8c"),
}


def draw_cover(kind: str) -> bytes:
    """A simple pictogram drawn for the project (no copied images)."""
    background, ink = _PALETTE[kind]
    image = PillowImage.new("RGB", (960, 540), background)
    d = ImageDraw.Draw(image)
    if kind == "phone":
        d.rounded_rectangle((380, 60, 580, 480), 36, outline=ink, width=14)
        d.rounded_rectangle((405, 110, 555, 400), 10, fill="white")
        d.ellipse((460, 420, 500, 460), outline=ink, width=8)
        for y in (150, 200, 250):
            d.rounded_rectangle((425, y, 535, y + 28), 8, fill=ink)
    elif kind == "id-card":
        d.rounded_rectangle((220, 120, 740, 420), 30, fill="white", outline=ink, width=12)
        d.rounded_rectangle((260, 170, 400, 350), 16, fill=ink)
        for y, width in ((190, 280), (240, 240), (290, 260), (340, 180)):
            d.rounded_rectangle((440, y, 440 + width, y + 24), 10, fill=ink)
    elif kind == "portal":
        d.rounded_rectangle((200, 90, 760, 450), 24, fill="white", outline=ink, width=12)
        d.rectangle((206, 96, 754, 160), fill=ink)
        for y in (200, 270, 340):
            d.rounded_rectangle((250, y, 520, y + 40), 10, outline=ink, width=6)
        d.rounded_rectangle((560, 340, 710, 390), 14, fill=ink)
    elif kind == "wallet":
        d.rounded_rectangle((230, 150, 730, 430), 40, fill="white", outline=ink, width=14)
        d.rounded_rectangle((560, 240, 760, 340), 24, fill=ink)
        d.ellipse((600, 270, 640, 310), fill="white")
        d.ellipse((300, 70, 440, 210), fill=ink)
    elif kind == "shield":
        d.polygon(
            [(480, 70), (700, 150), (680, 330), (480, 470), (280, 330), (260, 150)], fill="white", outline=ink
        )
        d.line(
            [(480, 70), (700, 150), (680, 330), (480, 470), (280, 330), (260, 150), (480, 70)],
            fill=ink,
            width=14,
        )
        d.line([(380, 270), (455, 345), (590, 200)], fill=ink, width=28, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def cover_image(kind: str, title: str) -> Image:
    name = f"Ảnh bìa: {title}"
    existing = Image.objects.filter(title=name).first()
    if existing:
        return existing
    file = ImageFile(io.BytesIO(draw_cover(kind)), name=f"bia-{kind}.png")
    return Image.objects.create(title=name, file=file)


# --- pages ---------------------------------------------------------------------------------


def ensure_catalogue() -> CourseIndexPage:
    catalogue = CourseIndexPage.objects.first()
    if catalogue:
        return catalogue
    home = HomePage.objects.get()
    catalogue = CourseIndexPage(
        title="Khoá học",
        slug="khoa-hoc",
        intro=RichText(
            "<p>Các khoá học ngắn, miễn phí, giúp bạn tự làm được việc trên điện thoại: từ những thao "
            "tác đầu tiên đến nộp hồ sơ dịch vụ công và tránh lừa đảo.</p>"
        ),
    )
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    return catalogue


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def create_course(catalogue: CourseIndexPage, data: dict) -> CoursePage | None:
    """Create one course with its modules and lessons; an existing course is left as officials left it."""
    if CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).exists():
        return None
    course = _publish(
        catalogue,
        CoursePage(
            title=data["title"],
            slug=data["slug"],
            short_description=data["short_description"],
            cover_image=cover_image(data["cover"], data["title"]),
            skill_area=data["skill_area"],
            target_groups=data["learner_groups"],
            level=data["level"],
            estimated_minutes=data["estimated_minutes"],
            lessons_in_order=data["lessons_in_order"],
            outcomes=[("outcome", text) for text in data["outcomes"]],
        ),
    )
    for module_data in data["modules"]:
        module = _publish(
            course,
            ModulePage(
                title=module_data["title"],
                slug=slugify(anyascii(module_data["title"]))[:80],
                intro=module_data.get("intro", ""),
            ),
        )
        for lesson in module_data["lessons"]:
            _publish(
                module,
                LessonPage(
                    title=lesson["title"],
                    slug=lesson["slug"],
                    summary=lesson.get("summary", ""),
                    estimated_minutes=lesson["estimated_minutes"],
                    required=lesson["required"],
                    body=lesson_body(lesson["blocks"]),
                ),
            )
    return course


def load_curriculum(directory: Path = CONTENT_DIR) -> list[CoursePage]:
    """Create every course not yet present, and the question bank; returns the courses created."""
    courses = read_courses(directory)
    catalogue = ensure_catalogue()
    created = [create_course(catalogue, data) for data in courses]
    link_final_quizzes(load_quizzes())
    load_scenarios()
    return [course for course in created if course is not None]


def link_final_quizzes(new_quizzes: dict[str, Quiz]) -> None:
    """Make each newly created demo quiz its course's final quiz (as a published revision)."""
    for slug, quiz in new_quizzes.items():
        course = CoursePage.objects.filter(slug=slug).first()
        if course is not None and course.final_quiz_id is None:
            course.final_quiz = quiz
            course.save_revision().publish()
