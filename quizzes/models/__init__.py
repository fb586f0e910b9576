from quizzes.models.attempts import Accommodation, Attempt, AttemptQuestion, AttemptState, FinishedBy
from quizzes.models.bank import Option, Question, QuestionTag
from quizzes.models.quiz import Quiz, QuizDraw

__all__ = [
    "Accommodation",
    "Attempt",
    "AttemptQuestion",
    "AttemptState",
    "FinishedBy",
    "Option",
    "Question",
    "QuestionTag",
    "Quiz",
    "QuizDraw",
]
