"""The learner model's numbers, shared by the Locust suite and the harness (no Locust import).

Think times are triangular (low, high, mode) in seconds; see loadtests/learners.py for why.
"""

import re

READ_LESSON = (60, 300, 120)
FIND_LESSON = (3, 20, 6)
GLANCE = (5, 30, 10)
ANSWER = (15, 90, 35)
START = (5, 20, 8)
SUBMIT = (5, 40, 12)
SANDBOX_STEP = (8, 60, 20)
LOOK = (3, 15, 5)
RESULT_WAIT = 30  # the practice dossier's time line reaches "Đã trả kết quả" after 30 s
QUIZ_QUESTIONS = 5
DOSSIER_CODE = re.compile(r"[A-Z0-9.]+-\d{6}-\d{4}")  # agency code-YYMMDD-sequence
SUBMITTED = re.compile(rf"Mã hồ sơ của bạn: ({DOSSIER_CODE.pattern})")  # what filing a dossier says

# Activity → (weight, the think times of its HTTP actions, in order)
ACTIVITIES = {
    "reading": (45, [GLANCE, FIND_LESSON, READ_LESSON, FIND_LESSON, READ_LESSON]),
    "quiz": (25, [GLANCE, START, (0, 0, 0)] + [ANSWER] * QUIZ_QUESTIONS + [SUBMIT]),
    # start, its page, submit, (the push, then) the look-up page, the look-up, start afresh
    "procedure": (
        20,
        [GLANCE, (0, 0, 0), SANDBOX_STEP, LOOK, LOOK, (0, 0, 0)],
    ),
    "checking": (10, [GLANCE, GLANCE]),
}
# Waits the learner does not choose: the dossier's time line runs in real seconds whatever the
# speed-up of think times (LOADTEST_SPEED), so they are never divided by it.
FIXED_WAITS = {"procedure": RESULT_WAIT}


def mean(spec: tuple[float, float, float]) -> float:
    low, high, mode = spec
    return (low + high + mode) / 3


def mean_interval(speed: float = 1.0) -> float:
    """Seconds between two HTTP actions of one learner, on average over the activity mix."""
    total_weight = sum(weight for weight, _steps in ACTIVITIES.values())
    seconds = sum(
        weight * (sum(mean(step) for step in steps) / speed + FIXED_WAITS.get(name, 0))
        for name, (weight, steps) in ACTIVITIES.items()
    )
    actions = sum(weight * len(steps) for weight, steps in ACTIVITIES.values())
    return (seconds / total_weight) / (actions / total_weight)


# Sign-in, measured on its own after the steady state (loadtests/logins.py): learners keep
# their session for weeks, so a sign-in is rare; counting one per 30-minute learning session
# (shared phones at community classes sign out and in) is a generous ceiling.
SESSION_SECONDS = 30 * 60
LOGIN_PACING = 10.0  # seconds between one simulated person's sign-ins
LOGIN_SECONDS = 60  # how long sign-ins are measured


def login_rate(learners: int, speed: float = 1.0) -> float:
    """Sign-ins per second that this many concurrent learners cause."""
    return learners / SESSION_SECONDS * speed


if __name__ == "__main__":
    print(f"one action every {mean_interval():.1f} s per learner")
    print(f"{login_rate(40_000):.1f} sign-ins per second at 40,000 learners")
