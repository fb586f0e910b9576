"""The pure grading module: rules by example, then properties over wide inputs."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.grading import InvalidAnswer, Key, Kind, check_answer, grade, score_question

SINGLE = Key(Kind.SINGLE, (11, 12, 13), (12,))
MULTIPLE = Key(Kind.MULTIPLE, (1, 2, 3, 4), (1, 2, 4))
ORDERING = Key(Kind.ORDERING, (7, 8, 9, 10), (7, 8, 9, 10))


def test_single_choice_scores_one_for_the_right_option_only():
    assert score_question(SINGLE, [12]) == 1
    assert score_question(SINGLE, [11]) == 0
    assert score_question(SINGLE, []) == 0


def test_multiple_choice_partial_credit_rule():
    assert score_question(MULTIPLE, [1, 2, 4]) == 1
    assert score_question(MULTIPLE, [1, 2]) == Fraction(2, 3)
    assert score_question(MULTIPLE, [1, 3]) == 0  # one right, one wrong
    assert score_question(MULTIPLE, [1, 2, 3]) == Fraction(1, 3)
    assert score_question(MULTIPLE, [1, 2, 3, 4]) == Fraction(2, 3)
    assert score_question(MULTIPLE, [3]) == 0  # never below zero


def test_ordering_scores_the_share_of_neighbouring_pairs_in_order():
    assert score_question(ORDERING, [7, 8, 9, 10]) == 1
    assert score_question(ORDERING, [8, 9, 10, 7]) == Fraction(2, 3)
    assert score_question(ORDERING, [10, 9, 8, 7]) == 0
    assert score_question(ORDERING, [7, 9, 8, 10]) == 0


def test_check_answer_refuses_what_cannot_belong_to_the_question():
    with pytest.raises(InvalidAnswer):
        check_answer(SINGLE, [99])
    with pytest.raises(InvalidAnswer):
        check_answer(SINGLE, [11, 12])
    with pytest.raises(InvalidAnswer):
        check_answer(MULTIPLE, [1, 1])
    with pytest.raises(InvalidAnswer):
        check_answer(ORDERING, [7, 8])
    assert check_answer(MULTIPLE, [4, 1]) == (1, 4)
    assert check_answer(ORDERING, [10, 9, 8, 7]) == (10, 9, 8, 7)
    assert check_answer(SINGLE, []) == ()


def test_pass_mark_is_exact_at_the_boundary():
    keys = [SINGLE] * 10
    seven = [[12]] * 7 + [[11]] * 3
    assert grade(keys, seven, 70).passed
    assert not grade(keys, [[12]] * 6 + [[11]] * 4, 70).passed
    # 2/3 is 66.66…%: not 67%, whatever floating point would say.
    assert not grade([SINGLE] * 3, [[12], [12], [11]], 67).passed
    assert grade(keys, seven, 70).percent == 70.0


def test_grade_needs_one_answer_per_question():
    with pytest.raises(ValueError):
        grade([SINGLE, SINGLE], [[12]], 70)


# --- properties ----------------------------------------------------------------------------


@st.composite
def keys_and_answers(draw):
    kind = draw(st.sampled_from(list(Kind)))
    size = draw(st.integers(min_value=2, max_value=8))
    option_ids = tuple(draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True)))
    if kind == Kind.ORDERING:
        correct = option_ids
        answer = draw(st.permutations(option_ids))
    else:
        count = 1 if kind in (Kind.SINGLE, Kind.TRUE_FALSE, Kind.IMAGE_CHOICE) else draw(st.integers(1, size))
        correct = tuple(
            sorted(draw(st.lists(st.sampled_from(option_ids), min_size=count, max_size=count, unique=True)))
        )
        limit = 1 if count == 1 and kind != Kind.MULTIPLE else size
        answer = draw(st.lists(st.sampled_from(option_ids), max_size=limit, unique=True))
    return Key(kind, option_ids, correct), list(answer)


@given(keys_and_answers())
def test_every_score_is_between_zero_and_one(case):
    key, answer = case
    assert 0 <= score_question(key, check_answer(key, answer)) <= 1


@given(keys_and_answers())
def test_the_key_itself_always_scores_full_marks(case):
    key, _answer = case
    assert score_question(key, check_answer(key, key.correct_ids)) == 1


@given(keys_and_answers())
def test_order_of_chosen_options_does_not_matter_for_choice_questions(case):
    key, answer = case
    if key.kind != Kind.ORDERING:
        assert score_question(key, check_answer(key, answer)) == score_question(
            key, check_answer(key, answer[::-1])
        )


@given(keys_and_answers())
def test_full_marks_only_for_exactly_the_key(case):
    key, answer = case
    canonical = check_answer(key, answer)
    expected = canonical == (key.correct_ids if key.kind == Kind.ORDERING else tuple(sorted(key.correct_ids)))
    assert (score_question(key, canonical) == 1) == expected


@given(st.lists(keys_and_answers(), min_size=1, max_size=12), st.integers(1, 100))
def test_attempt_score_is_the_sum_and_pass_follows_the_mark(cases, pass_percent):
    keys = [key for key, _ in cases]
    answers = [check_answer(key, answer) for key, answer in cases]
    result = grade(keys, answers, pass_percent)
    assert result.points == sum(score_question(k, a) for k, a in zip(keys, answers, strict=True))
    assert result.max_points == len(keys)
    assert result.passed == (result.points * 100 >= pass_percent * len(keys))


@given(keys_and_answers(), st.integers(1, 10_000))
def test_an_unknown_option_is_always_refused(case, stranger):
    key, answer = case
    if stranger not in key.option_ids:
        with pytest.raises(InvalidAnswer):
            check_answer(key, [*answer[:0], stranger])
