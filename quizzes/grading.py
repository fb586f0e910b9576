"""Scoring, as pure functions: no database, no clock, no request.

Every question is worth one point. Scores are exact fractions, so "70% to pass" never depends on
floating-point rounding.

- single choice, true/false, image choice: one point for the right option, nothing otherwise.
- multiple choice: each right option picked earns 1/k (k = number of right options); each
  wrong option picked takes 1/k back; a question never scores below zero, so ticking
  everything scores zero.
- ordering: the share of neighbouring pairs the learner put in the right order (a pair is
  right when the first step directly precedes the second in the key); all in order scores one.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    IMAGE_CHOICE = "image_choice"
    ORDERING = "ordering"


ONE_RIGHT_OPTION = {Kind.SINGLE, Kind.TRUE_FALSE, Kind.IMAGE_CHOICE}


@dataclass(frozen=True)
class Key:
    """What a question expects: option ids, and which are right (for ordering: the right order)."""

    kind: Kind
    option_ids: tuple[int, ...]
    correct_ids: tuple[int, ...]


class InvalidAnswer(ValueError):
    """An answer that cannot belong to the question (unknown options, wrong shape)."""


def check_answer(key: Key, answer: Sequence[int]) -> tuple[int, ...]:
    """Return the answer in canonical form, or raise InvalidAnswer.

    Choice answers are the chosen option ids (sorted); an ordering answer is every option id,
    each once, in the learner's order. An empty answer means "not answered".
    """
    chosen = tuple(answer)
    if not chosen:
        return ()
    if any(option_id not in key.option_ids for option_id in chosen):
        raise InvalidAnswer("unknown option")
    if len(set(chosen)) != len(chosen):
        raise InvalidAnswer("an option chosen twice")
    if key.kind == Kind.ORDERING:
        if len(chosen) != len(key.option_ids):
            raise InvalidAnswer("an ordering must place every option")
        return chosen
    if key.kind in ONE_RIGHT_OPTION and len(chosen) != 1:
        raise InvalidAnswer("only one option may be chosen")
    return tuple(sorted(chosen))


def score_question(key: Key, answer: Sequence[int]) -> Fraction:
    """Points (0 to 1) for one answer. The answer must have passed check_answer."""
    chosen = tuple(answer)
    if not chosen:
        return Fraction(0)
    if key.kind == Kind.ORDERING:
        if len(chosen) < 2:
            return Fraction(int(chosen == key.correct_ids))
        follows = dict(pairwise(key.correct_ids))
        right_pairs = sum(follows.get(a) == b for a, b in pairwise(chosen))
        return Fraction(right_pairs, len(chosen) - 1)
    right = set(key.correct_ids)
    if key.kind in ONE_RIGHT_OPTION:
        return Fraction(int(set(chosen) == right))
    hits = len(right.intersection(chosen))
    misses = len(chosen) - hits
    return max(Fraction(0), Fraction(hits - misses, len(right)))


@dataclass(frozen=True)
class Result:
    points: Fraction
    max_points: int
    pass_percent: int

    @property
    def fraction(self) -> Fraction:
        return self.points / self.max_points if self.max_points else Fraction(0)

    @property
    def percent(self) -> float:
        """For display: the score in percent, rounded to one decimal place."""
        return round(float(self.fraction * 100), 1)

    @property
    def passed(self) -> bool:
        return self.max_points > 0 and self.fraction * 100 >= self.pass_percent


def grade(keys: Sequence[Key], answers: Sequence[Sequence[int]], pass_percent: int) -> Result:
    """Grade a whole attempt: one key and one (possibly empty) answer per question, in order."""
    if len(keys) != len(answers):
        raise ValueError("one answer per question")
    points = sum(
        (score_question(key, answer) for key, answer in zip(keys, answers, strict=True)), Fraction(0)
    )
    return Result(points=points, max_points=len(keys), pass_percent=pass_percent)
