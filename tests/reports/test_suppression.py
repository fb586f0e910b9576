"""The small-count rule, on its own (no database): primary "< 5", complementary cells, totals."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.reports.suppression import (
    HIDDEN_MARK,
    LinkedTables,
    Status,
    SuppressedTable,
    suppress_counts,
    suppress_linked_tables,
    suppress_table,
)
from tests.reports.attack import (
    assert_no_cell_recoverable_by_subtraction,
    reader_domain,
    values_by_subtraction,
)


def assert_marks_are_honest(table: SuppressedTable) -> None:
    for cell in table.all_cells():
        if 0 < cell.value < table.threshold:
            assert cell.status is Status.SMALL
        elif cell.status is Status.SMALL:
            pytest.fail(f"{cell} is not small")
        if cell.status is Status.COMPLEMENTARY:
            assert cell.value >= table.threshold  # never a zero: "x" always means 5 or more
        assert cell.shown_value in (None, cell.value)


# --- examples ----------------------------------------------------------------------------------


def test_counts_from_one_to_four_read_less_than_five_and_zero_and_five_are_shown():
    table = suppress_table({"a": {"n": 0}, "b": {"n": 1}, "c": {"n": 4}, "d": {"n": 5}}, column_totals=False)
    assert [table.cell(row, "n").text() for row in "abcd"] == ["0", "< 5", "< 5", "5"]
    assert table.cell("b", "n").shown_value is None
    assert table.cell("d", "n").shown_value == 5


def test_a_lone_small_cell_in_a_column_with_a_total_gets_a_complementary_partner():
    table = suppress_table({"Hà Nội": {"n": 3}, "Huế": {"n": 12}, "Cần Thơ": {"n": 10}})
    assert table.cell("Hà Nội", "n").text() == "< 5"
    # The smallest other non-zero cell is hidden too, and reads differently.
    assert table.cell("Cần Thơ", "n").status is Status.COMPLEMENTARY
    assert table.cell("Cần Thơ", "n").text() == HIDDEN_MARK
    assert table.cell("Huế", "n").text() == "12"
    assert table.column_totals["n"].text() == "25"


def test_recovery_by_subtraction_fails():
    table = suppress_table({"a": {"n": 3}, "b": {"n": 12}, "c": {"n": 10}})
    published = [table.cell(row, "n").shown_value for row in table.rows]
    total = table.column_totals["n"].shown_value
    remainder = total - sum(value for value in published if value is not None)
    # 25 - 12 = 13 is what the two hidden cells make together: neither can be told alone.
    assert remainder == 13
    assert published.count(None) == 2
    assert values_by_subtraction([table.cell(r, "n") for r in table.rows], table.column_totals["n"]) == {
        0: {1, 2, 3, 4},
        2: {9, 10, 11, 12},
    }


def test_the_partner_is_not_so_small_that_the_marks_give_both_away():
    # "< 5" + "x" = 6 would mean 1 and 5 exactly; a third cell must go too.
    table = suppress_table({"a": {"n": 1}, "b": {"n": 5}, "c": {"n": 9}, "d": {"n": 30}})
    statuses = [table.cell(row, "n").status for row in "abcd"]
    assert statuses[:2] == [Status.SMALL, Status.COMPLEMENTARY]
    assert statuses[2] is Status.COMPLEMENTARY
    assert_no_cell_recoverable_by_subtraction(table)


def test_two_small_cells_that_could_only_be_one_each_are_protected():
    # "< 5" + "< 5" = 2 would mean 1 and 1.
    table = suppress_table({"a": {"n": 1}, "b": {"n": 1}, "c": {"n": 20}})
    assert table.cell("c", "n").status is Status.COMPLEMENTARY or table.column_totals["n"].hidden
    assert_no_cell_recoverable_by_subtraction(table)


def test_a_small_total_is_itself_suppressed():
    table = suppress_table({"a": {"n": 2}, "b": {"n": 0}, "c": {"n": 1}})
    assert table.column_totals["n"].text() == "< 5"
    assert table.cell("b", "n").text() == "0"


def test_a_single_hidden_cell_equal_to_its_total_hides_the_total():
    table = suppress_table({"a": {"n": 7}, "b": {"n": 0}}, hidden_column_totals=[])
    assert table.cell("a", "n").text() == "7"  # nothing small: nothing to hide
    linked = suppress_table({"a": {"n": 7}, "b": {"n": 0}}, hidden_column_totals=["n"])
    # The total is hidden by another table; the only non-zero cell would give it back.
    assert linked.column_totals["n"].hidden
    assert linked.cell("a", "n").hidden


def test_rows_and_columns_with_totals_are_both_protected():
    counts = {
        "Hà Nội": {"assisted": 2, "independent": 40},
        "Huế": {"assisted": 9, "independent": 30},
        "Cần Thơ": {"assisted": 12, "independent": 25},
    }
    table = suppress_table(counts, row_totals=True, column_totals=True)
    assert table.cell("Hà Nội", "assisted").status is Status.SMALL
    assert table.cell("Hà Nội", "independent").hidden  # the row total would give the 2 back
    assert table.cell("Huế", "assisted").hidden  # and so would the column total
    assert table.grand_total.value == 118
    assert_no_cell_recoverable_by_subtraction(table)
    assert_marks_are_honest(table)


def test_missing_columns_count_zero_and_column_order_is_kept():
    table = suppress_table({"a": {"y": 7}, "b": {"x": 9, "y": 8}}, columns=["x", "y"])
    assert table.columns == ("x", "y")
    assert table.cell("a", "x").value == 0


@pytest.mark.parametrize(
    ("rows", "kwargs"),
    [
        ({"a": {"n": -1}}, {}),
        ({"a": {"n": 1}}, {"threshold": 2}),
        ({"a": {"n": 1, "m": 2}}, {"columns": ["n"]}),
    ],
)
def test_bad_input_is_refused(rows, kwargs):
    with pytest.raises(ValueError):
        suppress_table(rows, **kwargs)


def test_linked_tables_hide_a_total_everywhere_once_one_table_hides_it():
    by_place = {"a": {"n": 7}, "b": {"n": 0}}
    by_group = {"g1": {"n": 3}, "g2": {"n": 4}}  # 3 and 4: both small, the total 7 stays
    tables = suppress_linked_tables({"place": by_place, "group": by_group}, columns=["n"])
    assert not tables["group"].column_totals["n"].hidden
    assert not tables["place"].cell("a", "n").hidden

    by_age = {"young": {"n": 6}, "old": {"n": 1}}  # 1 is small and 6 its only partner…
    by_sex = {"f": {"n": 7}, "m": {"n": 0}}
    tables = suppress_linked_tables({"age": by_age, "sex": by_sex}, columns=["n"])
    for table in tables.values():
        assert_no_cell_recoverable_by_subtraction(table)
    assert tables["age"].cell("old", "n").text() == "< 5"
    assert tables["age"].cell("young", "n").hidden


def test_linked_tables_with_row_totals_share_their_grand_total():
    by_place = {"a": {"helped": 2, "alone": 40}, "b": {"helped": 9, "alone": 30}}
    by_course = {"x": {"helped": 11, "alone": 70}}
    tables = suppress_linked_tables(
        {"place": by_place, "course": by_course}, columns=["helped", "alone"], row_totals=True
    )
    for table in tables.values():
        assert_no_cell_recoverable_by_subtraction(table)
    hidden = {
        name: [table.column_totals[c].hidden for c in ("helped", "alone")] for name, table in tables.items()
    }
    assert hidden["place"] == hidden["course"]
    assert tables["place"].grand_total.hidden == tables["course"].grand_total.hidden
    # The course table's only row equals the totals: a total hidden elsewhere hides that row too.
    if tables["course"].column_totals["helped"].hidden:
        assert tables["course"].cell("x", "helped").hidden


def test_linked_tables_must_share_their_totals():
    with pytest.raises(ValueError):
        suppress_linked_tables({"a": {"r": {"n": 5}}, "b": {"r": {"n": 6}}}, columns=["n"])


def test_counts_without_a_total_only_hide_small_ones():
    result = suppress_counts({"Hà Nội": 120, "Huế": 3, "Cần Thơ": 0})
    assert {key: cell.text() for key, cell in result.cells.items()} == {
        "Hà Nội": "120",
        "Huế": "< 5",
        "Cần Thơ": "0",
    }
    assert result.total is None


def test_counts_with_a_total_protect_the_small_one_and_the_rest():
    result = suppress_counts({"Hà Nội": 120, "Huế": 3, "Cần Thơ": 40}, total=163)
    assert result.cells["Huế"].text() == "< 5"
    assert result.cells["Cần Thơ"].hidden  # else 163 - 120 - 40 = 3
    assert result.total.text() == "163"
    assert result.rest.value == 0


def test_counts_with_a_total_count_the_unlisted_as_a_cell():
    # 2 people with no province: the reader can compute them, so they are protected too.
    result = suppress_counts({"Hà Nội": 120, "Huế": 30}, total=152)
    assert result.rest.status is Status.SMALL
    assert result.cells["Huế"].hidden
    with pytest.raises(ValueError):
        suppress_counts({"Hà Nội": 10}, total=9)


# --- properties --------------------------------------------------------------------------------

small_biased = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def tables(draw, max_rows=7, max_cols=4):
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    return {f"r{r}": {f"c{c}": draw(small_biased) for c in range(n_cols)} for r in range(n_rows)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.booleans(), st.booleans())
def test_property_no_published_total_gives_a_hidden_cell_away(rows, row_totals, column_totals):
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals)
    assert_marks_are_honest(table)
    assert_no_cell_recoverable_by_subtraction(table)


@settings(max_examples=300, deadline=None)
@given(tables(), st.booleans(), st.booleans())
def test_property_shown_cells_are_the_true_counts_and_totals_are_sums(rows, row_totals, column_totals):
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals)
    for row in table.rows:
        for column in table.columns:
            assert table.cell(row, column).value == rows[row][column]
    if column_totals:
        for column in table.columns:
            assert table.column_totals[column].value == sum(rows[row][column] for row in rows)
    if row_totals:
        for row in table.rows:
            assert table.row_totals[row].value == sum(rows[row].values())


@settings(max_examples=200, deadline=None)
@given(tables())
def test_property_suppression_is_deterministic(rows):
    assert suppress_table(rows, row_totals=True) == suppress_table(rows, row_totals=True)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), small_biased, max_size=8), st.integers(0, 20))
def test_property_counts_with_a_total_never_give_a_count_away(counts, unlisted):
    result = suppress_counts(counts, total=sum(counts.values()) + unlisted)
    cells = [*result.cells.values(), result.rest]
    if not result.total.hidden:
        assert sum(cell.hidden for cell in cells) != 1
        for values in values_by_subtraction(cells, result.total).values():
            assert len(values) >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=2, max_size=2))
def test_property_two_by_two_with_all_totals_resists_every_equation_at_once(grid):
    """Brute force over every table the reader cannot rule out, all equations together."""
    rows = {f"r{r}": {f"c{c}": grid[r][c] for c in range(2)} for r in range(2)}
    table = suppress_table(rows, row_totals=True, column_totals=True)
    if not any(cell.hidden for cell in table.all_cells()):
        return
    cap = 20

    def row_options(row):
        first, second = (reader_domain(table.cell(row, c), cap) for c in table.columns)
        total = reader_domain(table.row_totals[row], 2 * cap)
        return [(a, b) for a in first for b in second if a + b in total]

    seen = {(r, c): set() for r in range(2) for c in range(2)}
    for top, bottom in itertools.product(row_options("r0"), row_options("r1")):
        columns_ok = all(
            top[c] + bottom[c] in reader_domain(table.column_totals[f"c{c}"], 2 * cap) for c in range(2)
        )
        if columns_ok and sum(top) + sum(bottom) in reader_domain(table.grand_total, 4 * cap):
            for c in range(2):
                seen[(0, c)].add(top[c])
                seen[(1, c)].add(bottom[c])
    everything_hidden = all(cell.hidden for cell in table.all_cells() if cell.value > 0)
    for (r, c), values in seen.items():
        if table.cell(f"r{r}", f"c{c}").hidden:
            # Only a table with nothing left to hide (every non-zero number already a mark, as in
            # a 2×2 of ones whose grand total reads "< 5") can still be read: no rule does better.
            assert len(values) >= 2 or everything_hidden, ((r, c), grid, seen)


def test_a_nationwide_commune_table_is_quick_to_protect():
    import random
    import time

    rng = random.Random(3321)
    rows = {
        n: {c: rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 30]) for c in ("helped", "alone")} for n in range(3321)
    }
    started = time.perf_counter()
    table = suppress_table(rows, row_totals=True)
    assert time.perf_counter() - started < 5  # about 0.2 s; the queue never re-checks a long column per fix
    for row in table.rows:  # (the enumerating attacker is too slow for 3,321-cell columns)
        if not table.row_totals[row].hidden:
            assert sum(table.cell(row, c).hidden for c in table.columns) != 1
    for column in table.columns:
        if not table.column_totals[column].hidden:
            assert sum(table.cell(row, column).hidden for row in table.rows) != 1


# --- tables tied to each other (one page) ------------------------------------------------------------

FUNNEL = {"north": {"reg": 20, "cert": 9}, "south": {"reg": 7, "cert": 6}}  # published with totals 27, 15


def test_months_that_add_up_to_the_published_total_are_protected_with_it():
    linked = LinkedTables()
    linked.add("funnel", FUNNEL, columns=["reg", "cert"])
    # Registrations happen once: the months add up to the funnel's 27; the 3 must not follow.
    linked.add("months", {"jan": {"reg": 24}, "feb": {"reg": 3}}, columns=["reg"], print_column_totals=False)
    linked.tie(
        linked.cell_id("months", column="reg", total="column"),
        linked.cell_id("funnel", column="reg", total="column"),
    )

    tables = linked.suppress()

    months, funnel = tables["months"], tables["funnel"]
    assert months.column_totals is None  # not printed
    assert months.cell("feb", "reg").status is Status.SMALL
    assert months.cell("jan", "reg").hidden or funnel.column_totals["reg"].hidden


def test_a_tie_between_unequal_numbers_is_ignored():
    linked = LinkedTables()
    linked.add("funnel", FUNNEL, columns=["reg", "cert"])
    # Enrolments can be counted in two months: these add up to 30, not 27; no equation to use.
    linked.add("months", {"jan": {"reg": 27}, "feb": {"reg": 3}}, columns=["reg"], print_column_totals=False)
    linked.tie(
        linked.cell_id("months", column="reg", total="column"),
        linked.cell_id("funnel", column="reg", total="column"),
    )

    tables = linked.suppress()

    assert not tables["months"].cell("jan", "reg").hidden
    assert not tables["funnel"].column_totals["reg"].hidden
    assert tables["months"].cell("feb", "reg").status is Status.SMALL


def test_a_cell_tied_to_another_tables_total_hides_with_it():
    linked = LinkedTables()
    linked.add("funnel", {"north": {"cert": 3}, "south": {"cert": 12}}, columns=["cert"])
    # North's 3 certified learners are its 3 completions: 1 assisted + 2 independent, a row with
    # its total. The total is "< 5" in the funnel, so the parts must not add up in public.
    linked.add(
        "completions",
        {"north": {"assisted": 1, "independent": 2}},
        columns=["assisted", "independent"],
        row_totals=True,
    )
    linked.tie(linked.cell_id("completions", "north", total="row"), linked.cell_id("funnel", "north", "cert"))

    tables = linked.suppress()

    completions = tables["completions"]
    assert completions.row_totals["north"].status is Status.SMALL
    assert completions.cell("north", "assisted").hidden and completions.cell("north", "independent").hidden


def test_shared_totals_must_agree():
    linked = LinkedTables()
    linked.add("place", FUNNEL, columns=["reg", "cert"])
    with pytest.raises(ValueError):
        linked.add("group", {"all": {"reg": 26, "cert": 15}}, columns=["reg", "cert"], shared="place")
