"""Item statistics: how each question of a quiz did, from submitted attempts only."""

from dataclasses import dataclass, field

from quizzes.grading import Kind
from quizzes.models import AttemptQuestion, AttemptState, Quiz


@dataclass
class OptionStat:
    text: str
    correct: bool
    chosen: int = 0  # for ordering questions: times put in its right place
    percent: float = 0.0  # of the attempts that answered the question


@dataclass
class QuestionStat:
    key: int | str
    text: str
    kind: str
    shown: int = 0  # attempts that drew it
    answered: int = 0
    right: int = 0  # full marks
    points: float = 0.0
    options: dict[int, OptionStat] = field(default_factory=dict)

    @property
    def right_percent(self) -> float:
        """Share of the attempts that drew the question and got full marks (blank counts as wrong)."""
        return round(100 * self.right / self.shown, 1) if self.shown else 0.0

    @property
    def mean_points(self) -> float:
        return round(self.points / self.shown, 2) if self.shown else 0.0

    @property
    def option_list(self) -> list[OptionStat]:
        return list(self.options.values())


def question_statistics(quiz: Quiz) -> list[QuestionStat]:
    """One row per question drawn in the quiz's submitted attempts, hardest first."""
    stats: dict[int | str, QuestionStat] = {}
    rows = (
        AttemptQuestion.objects.filter(attempt__quiz=quiz, attempt__state=AttemptState.FINISHED)
        .values_list("question_id", "text", "kind", "options", "correct_ids", "answer", "points", "correct")
        .order_by("pk")
    )
    for question_id, text, kind, options, correct_ids, answer, points, correct in rows.iterator(
        chunk_size=2000
    ):
        key = question_id if question_id is not None else text
        stat = stats.get(key)
        if stat is None:
            stat = stats[key] = QuestionStat(key=key, text=text, kind=kind)
        stat.shown += 1
        stat.points += points or 0
        stat.right += 1 if correct else 0
        for option in sorted(options, key=lambda option: option["id"]):
            stat.options.setdefault(
                option["id"], OptionStat(text=option["text"], correct=option["id"] in correct_ids)
            )
        if not answer:
            continue
        stat.answered += 1
        if kind == Kind.ORDERING:
            for place, option_id in enumerate(answer):
                if place < len(correct_ids) and correct_ids[place] == option_id and option_id in stat.options:
                    stat.options[option_id].chosen += 1
        else:
            for option_id in answer:
                if option_id in stat.options:
                    stat.options[option_id].chosen += 1
    for stat in stats.values():
        for option in stat.options.values():
            option.percent = round(100 * option.chosen / stat.answered, 1) if stat.answered else 0.0
    return sorted(stats.values(), key=lambda stat: (stat.right_percent, str(stat.key)))
