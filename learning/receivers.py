"""What learning does when other apps report an outcome (connected in LearningConfig.ready)."""

from learning import progress
from learning.notifications import refresh_timers


def on_attempt_passed(sender, attempt, learner, quiz, **kwargs) -> None:
    """A passed quiz may complete the courses it is the final quiz of."""
    progress.record_quiz_passed(learner, quiz.pk)


def on_sandbox_run_completed(sender, run, learner, **kwargs) -> None:
    """A completed practice run may complete the courses that require its scenario."""
    progress.record_scenario_completed(learner, run.scenario_id)


def on_deadlines_changed(sender, learner_id: int, **kwargs) -> None:
    """Tell the learner's open sockets to re-read their quiz deadlines ("2 minutes left")."""
    refresh_timers(learner_id)
