"""Outcomes that travel upward (DESIGN §4): learning listens; quizzes never imports it."""

from django.dispatch import Signal

# All are sent after the transaction commits.
attempt_finished = Signal()  # attempt=
attempt_passed = Signal()  # attempt=, learner=, quiz=
deadlines_changed = Signal()  # learner_id=: a timed attempt started, or its deadline moved
