"""The per-process registry of open sockets: exact counts of distinct learners, never drifting."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from learning.presence import MAX_SOCKETS_PER_LEARNER, Counts, Registry, Socket


def test_tabs_of_one_learner_count_once_per_course_and_province():
    registry = Registry()
    registry.add("a1", Socket(learner_id=1, course_id=10, province_id=1))
    registry.add("a2", Socket(learner_id=1, course_id=10, province_id=1))
    registry.add("a3", Socket(learner_id=1, course_id=None, province_id=1))
    registry.add("b1", Socket(learner_id=2, course_id=11, province_id=79))
    assert registry.counts() == Counts(2, {10: 1, 11: 1}, {1: 1, 79: 1})
    registry.remove("a1")
    assert registry.counts() == Counts(2, {10: 1, 11: 1}, {1: 1, 79: 1})
    registry.remove("a2")
    registry.remove("a3")
    registry.remove("a3")  # twice, or a socket never registered: nothing happens
    registry.remove("zz")
    assert registry.counts() == Counts(1, {11: 1}, {79: 1})


def test_a_learner_over_the_socket_cap_is_refused_and_nothing_is_counted():
    registry = Registry()
    for n in range(MAX_SOCKETS_PER_LEARNER):
        assert registry.add(f"s{n}", Socket(1, None, 1))
    assert not registry.add("one-more", Socket(1, 10, 1))
    assert registry.counts() == Counts(1, {}, {1: 1}) and "one-more" not in registry.sockets
    registry.remove("s0")
    assert registry.add("one-more", Socket(1, 10, 1))


def test_counts_add_up_across_processes():
    parts = [Counts(2, {10: 2}, {1: 2}), Counts(3, {10: 1, 11: 2}, {1: 1, 79: 2})]
    assert Counts.total(parts) == Counts(5, {10: 3, 11: 2}, {1: 3, 79: 2})
    assert Counts.from_json(parts[1].as_json()) == parts[1]


events = st.lists(
    st.tuples(
        st.booleans(),  # open or close
        st.integers(0, 30),  # which socket
        st.integers(1, 6),  # learner
        st.one_of(st.none(), st.integers(1, 3)),  # course
    ),
    max_size=200,
)


@given(events)
def test_counts_always_equal_a_recount_of_the_open_sockets(history):
    registry = Registry()
    province = {learner: learner % 3 for learner in range(1, 7)}
    for opening, number, learner, course in history:
        channel = f"c{number}"
        if opening:
            registry.add(channel, Socket(learner, course, province[learner]))
        else:
            registry.remove(channel)
    open_sockets = list(registry.sockets.values())
    learners = {s.learner_id for s in open_sockets}
    assert all(n <= MAX_SOCKETS_PER_LEARNER for n in Counter(s.learner_id for s in open_sockets).values())
    assert registry.counts() == Counts(
        len(learners),
        dict(Counter(c for _l, c in {(s.learner_id, s.course_id) for s in open_sockets if s.course_id})),
        dict(Counter(province[learner] for learner in learners if province[learner] is not None)),
    )
