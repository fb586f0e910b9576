"""What a quiz can draw from, cached so that a class starting together costs a few queries.

The cache is keyed by a bank version that every change to a question, option, tag, quiz or draw
rule bumps (see ``quizzes.apps``), so an edit is seen by the next attempt that starts.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch

from quizzes.models import Option, Question, Quiz

VERSION_KEY = "quiz-bank-version"
POOL_SECONDS = 10 * 60


@dataclass(frozen=True)
class Draw:
    count: int
    candidate_ids: tuple[int, ...]


@dataclass(frozen=True)
class Pool:
    """Each draw rule's candidates, and the snapshot of every candidate question."""

    draws: tuple[Draw, ...]
    questions: dict[int, dict]


def bank_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump_bank_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates the old pools
        cache.set(VERSION_KEY, 2, None)


def snapshot(question: Question) -> dict:
    return {
        "id": question.pk,
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "options": [
            {
                "id": option.pk,
                "text": option.text,
                "image_id": option.image_id,
                "explanation": option.explanation,
                "correct": option.is_correct,
            }
            for option in question.options.all()
        ],
    }


def build_pool(quiz: Quiz) -> Pool:
    draws = []
    wanted: set[int] = set()
    for rule in quiz.draws.all():
        if rule.question_id:
            candidates = tuple(
                Question.objects.active().filter(pk=rule.question_id).values_list("pk", flat=True)
            )
        else:
            candidates = tuple(
                Question.objects.active()
                .tagged(rule.tag)
                .order_by("pk")
                .values_list("pk", flat=True)
                .distinct()
            )
        draws.append(Draw(count=rule.count, candidate_ids=candidates))
        wanted.update(candidates)
    questions = Question.objects.filter(pk__in=wanted).prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("sort_order", "pk"))
    )
    return Pool(draws=tuple(draws), questions={question.pk: snapshot(question) for question in questions})


def get_pool(quiz: Quiz) -> Pool:
    key = f"quiz-pool:{quiz.pk}:{bank_version()}"
    pool = cache.get(key)
    if pool is None:
        pool = build_pool(quiz)
        cache.set(key, pool, POOL_SECONDS)
    return pool
