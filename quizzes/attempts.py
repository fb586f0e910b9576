"""An attempt's life: start (draw and shuffle on the server), save answers, submit, time out.

Rules that need "exactly one" hold in the database, on SQLite and PostgreSQL alike: one open
attempt per learner and quiz, attempt numbers unique and within the limit (constraints on
``Attempt``); a submit wins only through a conditional UPDATE, so repeats change nothing; an
answer is saved only over the revision the learner last saw.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import grading
from quizzes.models import Accommodation, Attempt, AttemptQuestion, AttemptState, FinishedBy, Quiz
from quizzes.pool import get_pool
from quizzes.signals import attempt_finished, attempt_passed, deadlines_changed

# Answers in flight when time runs out still count; anything later is refused.
GRACE = timedelta(seconds=15)
_system_random = random.SystemRandom()


class AttemptError(Exception):
    """A refusal with a message the learner can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoAttemptsLeft(AttemptError):
    pass


class MustWait(AttemptError):
    def __init__(self, message: str, until: datetime):
        super().__init__(message)
        self.until = until


class QuizUnavailable(AttemptError):
    pass


class AttemptClosed(AttemptError):
    pass


class StaleAnswer(AttemptError):
    pass


class InvalidAnswer(AttemptError):
    pass


# --- reading --------------------------------------------------------------------------------


def get_accommodation(learner, quiz: Quiz) -> Accommodation | None:
    # get(), not first(): one per learner and quiz, and no ORDER BY to compile on every start.
    try:
        return Accommodation.objects.get(learner=learner, quiz=quiz)
    except Accommodation.DoesNotExist:
        return None


def attempts_allowed(quiz: Quiz, accommodation: Accommodation | None) -> int:
    """The attempt limit for this learner (0 = unlimited)."""
    if quiz.attempts_allowed == 0:
        return 0
    return quiz.attempts_allowed + (accommodation.extra_attempts if accommodation else 0)


def deadline_for(quiz: Quiz, started_at: datetime, accommodation: Accommodation | None) -> datetime | None:
    if not quiz.time_limit_minutes or (accommodation and accommodation.no_time_limit):
        return None
    extra = accommodation.extra_minutes if accommodation else 0
    return started_at + timedelta(minutes=quiz.time_limit_minutes + extra)


# The intro lists this many of the latest attempts: a quiz with unlimited attempts may be
# practised hundreds of times, and the page is read on cheap phones.
RECENT_SHOWN = 10


@dataclass(frozen=True)
class Standing:
    """Where a learner stands with a quiz, for its intro page."""

    open_attempt: Attempt | None
    recent: list[Attempt]  # the latest finished attempts, at most RECENT_SHOWN, oldest first
    finished_count: int
    best: Attempt | None
    has_passed: bool
    allowed: int
    wait_until: datetime | None
    next_number: int = 1
    accommodation: Accommodation | None = None

    @property
    def used(self) -> int:
        return self.finished_count + (1 if self.open_attempt else 0)

    @property
    def left(self) -> int | None:
        return None if self.allowed == 0 else max(0, self.allowed - self.used)

    @property
    def older_hidden(self) -> int:
        return self.finished_count - len(self.recent)


def get_standing(learner, quiz: Quiz, now: datetime | None = None) -> Standing:
    """Read from the newest attempts only: a quiz with unlimited attempts may have hundreds.

    The open attempt, if any, is the newest (one is open at a time, numbered after the others),
    and the last one finished is the next newest; so the newest RECENT_SHOWN + 2 tell everything
    the page needs unless there are more, and only then are the count and the best asked for.
    """
    now = now or timezone.now()
    mine = Attempt.objects.filter(learner=learner, quiz=quiz)
    newest = list(mine.order_by("-number")[: RECENT_SHOWN + 2])
    open_attempt = next((attempt for attempt in newest if attempt.is_open), None)
    if open_attempt and finish_if_overdue(open_attempt, now):
        return get_standing(learner, quiz, now)
    finished = [attempt for attempt in newest if not attempt.is_open]
    if len(newest) < RECENT_SHOWN + 2:  # every attempt there is
        finished_count = len(finished)
        best = max(finished, key=lambda attempt: (attempt.percent or 0, -attempt.number), default=None)
        passed = any(attempt.passed for attempt in finished)
    else:
        done = mine.filter(state=AttemptState.FINISHED)
        totals = done.aggregate(count=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        finished_count, passed = totals["count"], totals["passed"] > 0
        best = done.order_by(F("percent").desc(nulls_last=True), "number").first()
    wait_until = None
    if finished and quiz.wait_minutes:
        last = max(attempt.finished_at for attempt in finished)
        if last + timedelta(minutes=quiz.wait_minutes) > now:
            wait_until = last + timedelta(minutes=quiz.wait_minutes)
    accommodation = get_accommodation(learner, quiz)
    return Standing(
        open_attempt=open_attempt,
        recent=finished[:RECENT_SHOWN][::-1],
        finished_count=finished_count,
        best=best,
        has_passed=passed,
        allowed=attempts_allowed(quiz, accommodation),
        wait_until=wait_until,
        next_number=max((attempt.number for attempt in newest), default=0) + 1,
        accommodation=accommodation,
    )


def has_passed(learner, quiz_id: int) -> bool:
    return Attempt.objects.filter(learner=learner, quiz_id=quiz_id, passed=True).exists()


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.is_open and attempt.deadline is not None and now > attempt.deadline + GRACE


# --- starting -------------------------------------------------------------------------------


def draw_questions(quiz: Quiz, rng: random.Random) -> list[dict]:
    """Pick this attempt's questions and shuffle them and their options."""
    pool = get_pool(quiz)
    chosen: list[int] = []
    for draw in pool.draws:
        candidates = [pk for pk in draw.candidate_ids if pk not in chosen]
        chosen.extend(rng.sample(candidates, min(draw.count, len(candidates))))
    rng.shuffle(chosen)
    drawn = []
    for question_id in chosen:
        question = pool.questions[question_id]
        options = list(question["options"])
        if question["kind"] == grading.Kind.ORDERING:
            correct_ids = [option["id"] for option in options]
            while len(options) > 1 and [option["id"] for option in options] == correct_ids:
                rng.shuffle(options)
        else:
            correct_ids = sorted(option["id"] for option in options if option["correct"])
            if question["kind"] != grading.Kind.TRUE_FALSE:  # "Đúng" before "Sai", as everywhere
                rng.shuffle(options)
        drawn.append(
            {
                "question_id": question_id,
                "kind": question["kind"],
                "text": question["text"],
                "explanation": question["explanation"],
                "options": [
                    {key: value for key, value in option.items() if key != "correct"} for option in options
                ],
                "correct_ids": correct_ids,
            }
        )
    return drawn


def start_attempt(
    learner, quiz: Quiz, *, now: datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """Start an attempt, or return the one already open (a double tap or a second device).

    Raises NoAttemptsLeft, MustWait or QuizUnavailable.
    """
    now = now or timezone.now()
    standing = get_standing(learner, quiz, now)
    if standing.open_attempt:
        return standing.open_attempt
    if standing.left == 0:
        raise NoAttemptsLeft(_("Bạn đã dùng hết số lần làm bài này."))
    if standing.wait_until:
        raise MustWait(_("Bạn cần chờ một lúc trước khi làm lại."), standing.wait_until)
    drawn = draw_questions(quiz, rng or _system_random)
    if not drawn:
        raise QuizUnavailable(_("Bài kiểm tra này chưa có câu hỏi. Hãy quay lại sau."))
    # From the attempts just read: a start racing this one takes the same number, and the
    # database's unique number per learner and quiz refuses one of the two (handled below).
    accommodation, number = standing.accommodation, standing.next_number
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                learner=learner,
                number=number,
                attempts_allowed=attempts_allowed(quiz, accommodation),
                pass_percent=quiz.pass_percent,
                started_at=now,
                deadline=deadline_for(quiz, now, accommodation),
                max_points=len(drawn),
            )
            AttemptQuestion.objects.bulk_create(
                AttemptQuestion(
                    attempt=attempt,
                    position=position,
                    question_id=item["question_id"],
                    kind=item["kind"],
                    text=item["text"],
                    explanation=item["explanation"],
                    options=item["options"],
                    correct_ids=item["correct_ids"],
                )
                for position, item in enumerate(drawn, start=1)
            )
            if attempt.deadline:
                transaction.on_commit(lambda: deadlines_changed.send(sender=Attempt, learner_id=learner.pk))
    except IntegrityError:
        # Another request of the same learner got there first: theirs is the attempt.
        existing = Attempt.objects.filter(learner=learner, quiz=quiz, state=AttemptState.OPEN).first()
        if existing:
            return existing
        if attempts_allowed(quiz, accommodation) and number > attempts_allowed(quiz, accommodation):
            raise NoAttemptsLeft(_("Bạn đã dùng hết số lần làm bài này.")) from None
        raise
    return attempt


# --- answering ------------------------------------------------------------------------------


def answer_from_positions(question: AttemptQuestion, positions: list[int]) -> tuple[int, ...]:
    """Turn what the browser sends (1-based positions in the shown order) into option ids."""
    options = question.options
    if any(not 1 <= position <= len(options) for position in positions):
        raise InvalidAnswer(_("Đáp án bạn gửi không có trong câu hỏi này."))
    try:
        return grading.check_answer(question.key, [options[position - 1]["id"] for position in positions])
    except grading.InvalidAnswer:
        if question.kind == grading.Kind.ORDERING:
            raise InvalidAnswer(_("Hãy xếp mỗi bước vào một vị trí khác nhau.")) from None
        raise InvalidAnswer(_("Câu này chỉ chọn một đáp án.")) from None


def answer_positions(question: AttemptQuestion) -> list[int]:
    """The saved answer as positions in the shown order (what the page pre-selects)."""
    ids = question.option_ids
    return [ids.index(option_id) + 1 for option_id in question.answer if option_id in ids]


def save_answer(
    attempt: Attempt,
    position: int,
    positions: list[int],
    revision: int,
    *,
    now: datetime | None = None,
    question: AttemptQuestion | None = None,
) -> AttemptQuestion:
    """Save one answer over the revision the learner last saw.

    The same answer sent again is accepted as it is (a retry); a different one over an older
    revision raises StaleAnswer (another device, or a replayed request). Raises AttemptClosed
    once the attempt is submitted or its time is over, InvalidAnswer for answers that cannot
    belong to the question. A caller that has loaded the question already passes it as
    question; it is read again under the lock before anything is written.
    """
    now = now or timezone.now()
    if question is None or question.attempt_id != attempt.pk or question.position != position:
        try:  # unique per attempt; get() compiles no ORDER BY, on every autosave
            question = AttemptQuestion.objects.get(attempt=attempt, position=position)
        except AttemptQuestion.DoesNotExist:
            raise InvalidAnswer(_("Câu hỏi này không có trong bài làm của bạn.")) from None
    answer = answer_from_positions(question, positions)
    if finish_if_overdue(attempt, now):
        raise AttemptClosed(_("Đã hết giờ làm bài. Bài của bạn đã được nộp với các câu đã lưu."))
    if tuple(question.answer) != answer and _write_if_current(question, answer, revision, now):
        question.answer, question.revision, question.answered_at = list(answer), revision + 1, now
        return question
    # Not written: the attempt is closed, the question moved on, or the answer is the one stored.
    # Which, decided under the attempt's lock.
    with transaction.atomic():
        # Serialises with submit on PostgreSQL; SQLite serialises every write transaction.
        if not Attempt.objects.select_for_update().filter(pk=attempt.pk, state=AttemptState.OPEN).exists():
            raise AttemptClosed(_("Bài này đã nộp nên không sửa được nữa."))
        # Only what may have changed since the question was read (not its text and options).
        saved, current_revision, answered_at = AttemptQuestion.objects.values_list(
            "answer", "revision", "answered_at"
        ).get(pk=question.pk)
        if tuple(saved) == answer:
            question.answer, question.revision, question.answered_at = saved, current_revision, answered_at
            return question
        if current_revision != revision:
            raise StaleAnswer(_("Câu này vừa được trả lời ở nơi khác. Trang đã hiện câu trả lời mới nhất."))
        AttemptQuestion.objects.filter(pk=question.pk, revision=revision).update(
            answer=list(answer), revision=F("revision") + 1, answered_at=now
        )
    question.answer, question.revision, question.answered_at = list(answer), revision + 1, now
    return question


def _write_if_current(question: AttemptQuestion, answer: tuple, revision: int, now: datetime) -> bool:
    """Write the answer in one statement if the question is still at ``revision`` and its attempt
    still open; True if it was written.

    The attempt's row is share-locked while the statement runs (PostgreSQL): a submit, which
    updates that row first, either waits for this write and then grades it, or has already
    closed the attempt, and this write finds it closed. SQLite serialises every write. One
    statement, against four and a transaction: this is the most frequent write of all.
    """
    fields = AttemptQuestion._meta
    questions, attempts = fields.db_table, Attempt._meta.db_table  # every value is a parameter
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    sql = (
        f'UPDATE "{questions}" SET "answer" = %s, "revision" = "revision" + 1, "answered_at" = %s '  # noqa: S608
        'WHERE "id" = %s AND "revision" = %s AND "attempt_id" IN '
        f'(SELECT "id" FROM "{attempts}" WHERE "id" = %s AND "state" = %s{lock})'
    )
    params = [
        fields.get_field("answer").get_db_prep_save(list(answer), connection),
        fields.get_field("answered_at").get_db_prep_save(now, connection),
        question.pk,
        revision,
        question.attempt_id,
        AttemptState.OPEN.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


# --- finishing ------------------------------------------------------------------------------


def submit_attempt(attempt: Attempt, *, key: str = "", now: datetime | None = None) -> Attempt:
    """Submit and grade from the stored answers; a repeat (double tap, retry) changes nothing.

    An attempt whose time ran out is graded as it stood at the deadline.
    """
    now = now or timezone.now()
    if finish_if_overdue(attempt, now):
        return Attempt.objects.get(pk=attempt.pk)
    return _finish(attempt, at=now, by=FinishedBy.LEARNER, key=key)


def finish_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """Finish an attempt whose time is over (on its next access). Returns True if it was."""
    if not is_overdue(attempt, now):
        return False
    _finish(attempt, at=attempt.deadline, by=FinishedBy.TIMEOUT)
    attempt.refresh_from_db()
    return True


def finish_overdue_attempts(now: datetime | None = None) -> int:
    """The worker's sweep: finish every attempt whose time is over. Returns how many."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(state=AttemptState.OPEN, deadline__lt=now - GRACE)
    finished = 0
    for attempt in overdue.iterator():
        if _finish(attempt, at=attempt.deadline, by=FinishedBy.TIMEOUT).finished_by == FinishedBy.TIMEOUT:
            finished += 1
    return finished


def _finish(attempt: Attempt, *, at: datetime, by: str, key: str = "") -> Attempt:
    with transaction.atomic():
        won = Attempt.objects.filter(pk=attempt.pk, state=AttemptState.OPEN).update(
            state=AttemptState.FINISHED, finished_at=at, finished_by=by, submit_key=key[:64], passed=False
        )
        if not won:
            return Attempt.objects.get(pk=attempt.pk)
        # Read under the attempt's lock: every answer saved before it, none after. In any order,
        # and without the wording: grading needs the options, the key and the answer.
        questions = list(
            AttemptQuestion.objects.filter(attempt_id=attempt.pk).only(
                "kind", "options", "correct_ids", "answer"
            )
        )
        result = grading.grade(
            [question.key for question in questions],
            [question.answer for question in questions],
            attempt.pass_percent,
        )
        # One UPDATE per distinct score (right, wrong, each partial one): bulk_update's CASE per
        # row cost Django more to build than the rest of the submit.
        scored: dict[tuple[float, bool], list[int]] = {}
        for question in questions:
            points = grading.score_question(question.key, question.answer)
            scored.setdefault((float(points), points == 1), []).append(question.pk)
        for (points, correct), ids in scored.items():
            AttemptQuestion.objects.filter(pk__in=ids).update(points=points, correct=correct)
        Attempt.objects.filter(pk=attempt.pk).update(
            points=float(result.points),
            max_points=result.max_points,
            percent=result.percent,
            passed=result.passed,
        )
        finished = Attempt.objects.select_related("quiz", "learner").get(pk=attempt.pk)
        transaction.on_commit(lambda: attempt_finished.send(sender=Attempt, attempt=finished))
        if result.passed:
            transaction.on_commit(
                lambda: attempt_passed.send(
                    sender=Attempt, attempt=finished, learner=finished.learner, quiz=finished.quiz
                )
            )
    return finished


# --- accommodations -------------------------------------------------------------------------


def grant_accommodation(accommodation: Accommodation) -> None:
    """Apply a saved accommodation to the learner's open attempt (its deadline) at once."""
    quiz = accommodation.quiz
    open_attempt = Attempt.objects.filter(
        learner_id=accommodation.learner_id, quiz=quiz, state=AttemptState.OPEN
    ).first()
    if open_attempt is not None:
        Attempt.objects.filter(pk=open_attempt.pk, state=AttemptState.OPEN).update(
            deadline=deadline_for(quiz, open_attempt.started_at, accommodation)
        )
    learner_id = accommodation.learner_id
    transaction.on_commit(lambda: deadlines_changed.send(sender=Accommodation, learner_id=learner_id))
