"""Outcomes that travel upward (DESIGN §4): certificates listen, learning does not import them."""

from django.dispatch import Signal

# Sent after the transaction commits, with learner= and course= (a CoursePage).
course_completed = Signal()

# Sent after the transaction commits, with run= (a SandboxRun) and learner=.
sandbox_run_completed = Signal()
