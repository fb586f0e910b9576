"""What learning does when other apps report an outcome (connected in LearningConfig.ready)."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from learning import progress
from learning.realtime import learner_group


def on_attempt_passed(sender, attempt, learner, quiz, **kwargs) -> None:
    """A passed quiz may complete the courses it is the final quiz of."""
    progress.record_quiz_passed(learner, quiz.pk)


def on_sandbox_run_completed(sender, run, learner, **kwargs) -> None:
    """A completed practice run may complete the courses that require its scenario."""
    progress.record_scenario_completed(learner, run.scenario_id)


def on_deadlines_changed(sender, learner_id: int, **kwargs) -> None:
    """Tell the learner's open sockets to re-read their quiz deadlines ("2 minutes left")."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(learner_group(learner_id), {"type": "learner.deadlines"})
