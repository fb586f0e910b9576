"""Small-count suppression for every number officials see: report tables, CSV exports, live counts.

Pure: plain integers in, cells to display out; no ORM, no settings, no translation.

The rule
--------
1. **Primary.** A count from 1 to ``threshold - 1`` (1 to 4 with the default 5) is not shown: it
   reads "< 5" (status ``SMALL``). Zero is shown: nobody is disclosed by a true zero.
2. **Complementary.** Where a row or column is published with its total, the total and the
   cells make an equation (the cells add up to the total). If that equation lets a reader work
   out a hidden cell exactly — subtracting the published cells from the total, and using what the
   marks themselves say ("< 5" lies in 1..4, a complementary "x" is 5 or more) — one more cell of
   that line is hidden (status ``COMPLEMENTARY``): the smallest published non-zero cell, preferring
   one whose other line already hides something; failing that, the line's total. This repeats
   until no line pins any hidden cell, first line by line, then with the bounds every line gives
   propagated across the whole table (a cell in a row *and* a column with totals).

What it does not do: it audits the tables it is given. Numbers published elsewhere (another
filter, another page, a live count a minute later) can still be subtracted from these; callers
that publish the same totals in several tables pass them through :func:`suppress_linked_tables`,
or, where tables are tied in more ways (one page's funnel, trend, courses and completions),
through :class:`LinkedTables`.
"""

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from math import inf

THRESHOLD = 5
# How a complementary cell reads; the "< 5" of a primary cell is built from the threshold.
HIDDEN_MARK = "x"
# Bounds propagation across lines stops after this many rounds (it only ever tightens bounds).
_MAX_ROUNDS = 50


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1..threshold-1: primary suppression
    COMPLEMENTARY = "complementary"  # hidden so that a small cell cannot be worked out


@dataclass(frozen=True, slots=True)
class Cell:
    """One published number. ``value`` is the true count: never display it when ``hidden``."""

    value: int
    status: Status
    threshold: int = THRESHOLD

    @property
    def hidden(self) -> bool:
        return self.status is not Status.SHOWN

    @property
    def shown_value(self) -> int | None:
        """The number to publish, or None when it is suppressed."""
        return None if self.hidden else self.value

    def text(self, hidden_mark: str = HIDDEN_MARK) -> str:
        """As a table or a CSV file shows it: "12", "< 5" or the complementary mark."""
        if self.status is Status.SMALL:
            return f"< {self.threshold}"
        if self.status is Status.COMPLEMENTARY:
            return hidden_mark
        return str(self.value)


@dataclass(frozen=True)
class SuppressedTable[R: Hashable, C: Hashable]:
    """A table ready to publish: every inner cell and total with its status."""

    rows: tuple[R, ...]
    columns: tuple[C, ...]
    cells: Mapping[R, Mapping[C, Cell]]
    row_totals: Mapping[R, Cell] | None  # one per row, when the table publishes them
    column_totals: Mapping[C, Cell] | None  # one per column, when the table publishes them
    grand_total: Cell | None  # only with both
    threshold: int = THRESHOLD

    def cell(self, row: R, column: C) -> Cell:
        return self.cells[row][column]

    def all_cells(self) -> list[Cell]:
        found = [cell for row in self.rows for cell in self.cells[row].values()]
        found += list((self.row_totals or {}).values()) + list((self.column_totals or {}).values())
        return found + ([self.grand_total] if self.grand_total else [])


@dataclass(frozen=True)
class SuppressedCounts[K: Hashable]:
    """One breakdown (say, people online by province) and its total, ready to publish."""

    cells: Mapping[K, Cell]
    total: Cell | None
    # The total minus the listed counts ("elsewhere / unknown"). It is protected as if it were
    # published, since a reader can always compute it; show it only through its status.
    rest: Cell | None


# --- the public functions ---------------------------------------------------------------------


def suppress_table[R: Hashable, C: Hashable](
    rows: Mapping[R, Mapping[C, int]],
    *,
    columns: Sequence[C] | None = None,
    row_totals: bool = False,
    column_totals: bool = True,
    threshold: int = THRESHOLD,
    hidden_column_totals: Iterable[C] = (),
    hidden_grand_total: bool = False,
) -> SuppressedTable[R, C]:
    """Suppress small counts in a table, and what would reveal them through its totals.

    ``rows`` maps each row key to ``{column key: count}`` (a missing column counts 0).
    ``columns`` fixes the column order (default: first seen). Totals are computed here, as sums,
    so the equations the rule protects are the true ones: publish ``row_totals`` only when the
    columns split the row (assisted + independent = completions), ``column_totals`` only when the
    rows split the column (provinces of one country). ``hidden_column_totals`` names column
    totals that must be hidden because another table publishing the same totals hid them.
    """
    if threshold < 3:
        raise ValueError("A threshold below 3 makes '< threshold' disclose the value itself.")
    row_keys = tuple(rows)
    column_keys = tuple(columns) if columns is not None else _first_seen_columns(rows)
    grid = [[int(rows[row].get(column, 0)) for column in column_keys] for row in row_keys]
    if any(value < 0 for line in grid for value in line):
        raise ValueError("Counts cannot be negative.")
    unknown = {column for row in row_keys for column in rows[row]} - set(column_keys)
    if unknown:
        raise ValueError(f"Counts in columns not listed: {sorted(map(str, unknown))}")

    # Cell ids: inner cells row-major, then row totals, then column totals, then the grand total.
    n_rows, n_cols = len(row_keys), len(column_keys)
    values = [value for line in grid for value in line]

    def inner(r: int, c: int) -> int:
        return r * n_cols + c

    row_total_ids: list[int] = []
    column_total_ids: list[int] = []
    grand_id: int | None = None
    lines: list[tuple[tuple[int, ...], int]] = []
    if row_totals:
        for r in range(n_rows):
            row_total_ids.append(len(values))
            values.append(sum(grid[r]))
            lines.append((tuple(inner(r, c) for c in range(n_cols)), row_total_ids[-1]))
    if column_totals:
        for c in range(n_cols):
            column_total_ids.append(len(values))
            values.append(sum(grid[r][c] for r in range(n_rows)))
            lines.append((tuple(inner(r, c) for r in range(n_rows)), column_total_ids[-1]))
    if row_totals and column_totals:
        grand_id = len(values)
        values.append(sum(values[i] for i in row_total_ids))
        lines.append((tuple(row_total_ids), grand_id))
        lines.append((tuple(column_total_ids), grand_id))

    forced_columns = set(hidden_column_totals)
    forced = (
        {column_total_ids[c] for c, key in enumerate(column_keys) if key in forced_columns}
        if column_totals
        else set()
    )
    if hidden_grand_total and grand_id is not None:
        forced.add(grand_id)
    status = protect(values, lines, threshold=threshold, forced=forced)

    def cell(i: int) -> Cell:
        return Cell(values[i], status[i], threshold)

    return SuppressedTable(
        rows=row_keys,
        columns=column_keys,
        cells={
            row: {column: cell(inner(r, c)) for c, column in enumerate(column_keys)}
            for r, row in enumerate(row_keys)
        },
        row_totals={row: cell(row_total_ids[r]) for r, row in enumerate(row_keys)} if row_totals else None,
        column_totals=(
            {column: cell(column_total_ids[c]) for c, column in enumerate(column_keys)}
            if column_totals
            else None
        ),
        grand_total=cell(grand_id) if grand_id is not None else None,
        threshold=threshold,
    )


def suppress_counts[K: Hashable](
    counts: Mapping[K, int], total: int | None = None, *, threshold: int = THRESHOLD
) -> SuppressedCounts[K]:
    """Suppress one breakdown. With ``total`` (published beside the counts), it must be at least
    their sum: what it adds ("elsewhere / unknown") is protected as a cell of the same line, so
    no listed count can be recovered from the total."""
    if total is None:
        table = suppress_table({"": counts}, columns=list(counts), column_totals=False, threshold=threshold)
        return SuppressedCounts(cells=dict(table.cells[""]), total=None, rest=None)
    listed = sum(counts.values())
    if total < listed:
        raise ValueError("The total is smaller than the counts it should include.")
    rest_key = _Rest()
    table = suppress_table(
        {"": {**counts, rest_key: total - listed}},
        columns=[*counts, rest_key],
        row_totals=True,
        column_totals=False,
        threshold=threshold,
    )
    cells = table.cells[""]
    return SuppressedCounts(
        cells={key: cells[key] for key in counts}, total=table.row_totals[""], rest=cells[rest_key]
    )


def suppress_linked_tables[N: Hashable, R: Hashable, C: Hashable](
    tables: Mapping[N, Mapping[R, Mapping[C, int]]],
    *,
    columns: Sequence[C],
    row_totals: bool = False,
    threshold: int = THRESHOLD,
) -> dict[N, SuppressedTable]:
    """Tables that split the same population different ways (by place, by group, by age band)
    publish the same column totals; a total hidden in one must be hidden in all of them, or the
    others would give it away. Each table gets column totals (and, with ``row_totals``, row
    totals and the grand total)."""
    linked = LinkedTables(threshold=threshold)
    first = next(iter(tables), None)
    for n, (name, rows) in enumerate(tables.items()):
        linked.add(name, rows, columns=columns, row_totals=row_totals, shared=first if n else None)
    return linked.suppress()


class LinkedTables:
    """Tables on one page whose numbers are tied to each other, protected in one pass.

    Each table brings its own equations (its published totals). Two more kinds of tie join them:
    ``shared`` column totals (tables that split the same learners) are one number; and
    :meth:`tie` makes two numbers that count the same thing one number wherever they are equal
    (a month column that adds up to the period's total, a course's certified learners and its
    completions) — equal values are the only case a reader can use, so ties of unequal numbers
    are ignored. A total a table does not print (``print_column_totals=False``) is protected as
    hidden unless it is tied to one that is printed.
    """

    def __init__(self, *, threshold: int = THRESHOLD) -> None:
        if threshold < 3:
            raise ValueError("A threshold below 3 makes '< threshold' disclose the value itself.")
        self.threshold = threshold
        self._values: list[int] = []
        self._printed: list[bool] = []
        self._parent: list[int] = []
        self._lines: list[Line] = []
        self._tables: dict = {}

    def _number(self, value: int, printed: bool) -> int:
        if value < 0:
            raise ValueError("Counts cannot be negative.")
        self._values.append(int(value))
        self._printed.append(printed)
        self._parent.append(len(self._parent))
        return len(self._values) - 1

    def _root(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def add[R: Hashable, C: Hashable](
        self,
        name: Hashable,
        rows: Mapping[R, Mapping[C, int]],
        *,
        columns: Sequence[C],
        row_totals: bool = False,
        column_totals: bool = True,
        print_column_totals: bool = True,
        shared: Hashable | None = None,
    ) -> None:
        """Add a table (its totals computed as sums). ``shared`` names an earlier table whose column
        totals (and grand total) are the same numbers as this one's."""
        row_keys, column_keys = tuple(rows), tuple(columns)
        grid = {(r, c): int(rows[r].get(c, 0)) for r in row_keys for c in column_keys}
        inner = {key: self._number(value, True) for key, value in grid.items()}
        placed = {"rows": row_keys, "columns": column_keys, "inner": inner, "row_totals": None,
                  "column_totals": None, "grand": None, "print_column_totals": print_column_totals}  # fmt: skip
        if row_totals:
            placed["row_totals"] = {
                r: self._number(sum(grid[r, c] for c in column_keys), True) for r in row_keys
            }
            for r in row_keys:
                self._lines.append((tuple(inner[r, c] for c in column_keys), placed["row_totals"][r]))
        if column_totals:
            sums = {c: sum(grid[r, c] for r in row_keys) for c in column_keys}
            if shared is not None:
                other = self._tables[shared]
                if any(self._values[other["column_totals"][c]] != sums[c] for c in column_keys):
                    raise ValueError("Linked tables must add up to the same totals.")
                placed["column_totals"], placed["grand"] = other["column_totals"], other["grand"]
            else:
                placed["column_totals"] = {c: self._number(sums[c], print_column_totals) for c in column_keys}
                if row_totals:
                    placed["grand"] = self._number(sum(sums.values()), print_column_totals)
            for c in column_keys:
                self._lines.append((tuple(inner[r, c] for r in row_keys), placed["column_totals"][c]))
            if row_totals:
                self._lines.append((tuple(placed["row_totals"][r] for r in row_keys), placed["grand"]))
                self._lines.append((tuple(placed["column_totals"][c] for c in column_keys), placed["grand"]))
        self._tables[name] = placed

    def cell_id(self, name: Hashable, row=None, column=None, *, total: str = "") -> int | None:
        """A number of a table: an inner cell, a row's total (``total="row"``), a column's total
        (``total="column"``) or the grand total (``total="grand"``); None if the table lacks it."""
        placed = self._tables[name]
        if total == "row":
            return (placed["row_totals"] or {}).get(row)
        if total == "column":
            return (placed["column_totals"] or {}).get(column)
        if total == "grand":
            return placed["grand"]
        return placed["inner"].get((row, column))

    def tie(self, a: int | None, b: int | None) -> None:
        """The two numbers count the same thing: one number, if they are equal."""
        if a is None or b is None or self._values[a] != self._values[b]:
            return
        root_a, root_b = self._root(a), self._root(b)
        if root_a != root_b:
            self._parent[root_b] = root_a
            self._printed[root_a] = self._printed[root_a] or self._printed[root_b]

    def suppress(self) -> dict[Hashable, SuppressedTable]:
        roots = sorted({self._root(i) for i in range(len(self._values))})
        index = {root: n for n, root in enumerate(roots)}
        values = [self._values[root] for root in roots]
        lines = list(
            dict.fromkeys(
                (tuple(index[self._root(i)] for i in cells), index[self._root(total)])
                for cells, total in self._lines
            )
        )
        unprinted = [index[root] for root in roots if not self._printed[root]]
        # A total nobody prints is protected as hidden: its line then gives a reader bounds only.
        status = protect(values, lines, threshold=self.threshold, forced=unprinted)

        def cell(i: int) -> Cell:
            n = index[self._root(i)]
            return Cell(values[n], status[n], self.threshold)

        results = {}
        for name, placed in self._tables.items():
            printed = placed["column_totals"] is not None and placed["print_column_totals"]
            results[name] = SuppressedTable(
                rows=placed["rows"],
                columns=placed["columns"],
                cells={
                    r: {c: cell(placed["inner"][r, c]) for c in placed["columns"]} for r in placed["rows"]
                },
                row_totals=(
                    {r: cell(i) for r, i in placed["row_totals"].items()}
                    if placed["row_totals"] is not None
                    else None
                ),
                column_totals={c: cell(i) for c, i in placed["column_totals"].items()} if printed else None,
                grand_total=cell(placed["grand"]) if printed and placed["grand"] is not None else None,
                threshold=self.threshold,
            )
        return results


# --- the algorithm ------------------------------------------------------------------------------

Line = tuple[tuple[int, ...], int]  # (the cells, their total): sum(cells) == total


def protect(
    values: Sequence[int], lines: Sequence[Line], *, threshold: int = THRESHOLD, forced: Iterable[int] = ()
) -> list[Status]:
    """The status of every cell of a set of additive equations (``lines``) over ``values``.

    Exposed for callers with shapes other than a table; :func:`suppress_table` builds the lines.
    """
    status = [Status.SMALL if 0 < value < threshold else Status.SHOWN for value in values]
    for i in forced:
        if status[i] is Status.SHOWN and values[i] > 0:
            status[i] = Status.COMPLEMENTARY
    lines_of: dict[int, list[int]] = {}
    for number, (cells, total) in enumerate(lines):
        for i in (*cells, total):
            lines_of.setdefault(i, []).append(number)
    unfixable: set[int] = set()
    while True:
        _fix_line_by_line(values, lines, lines_of, status, threshold, unfixable)
        pinned = [i for i in _pinned_across_lines(values, lines, status, threshold) if i not in unfixable]
        if not pinned:
            return status
        cell = pinned[0]
        for number in lines_of[cell]:
            choice = _complement(values, lines, lines_of, status, number)
            if choice is not None:
                status[choice] = Status.COMPLEMENTARY
                break
        else:
            unfixable.add(cell)  # every cell around it is already hidden: nothing more to do


def bounds(value: int, status: Status, threshold: int) -> tuple[float, float]:
    """What a reader knows about a cell from how it is shown."""
    if status is Status.SHOWN:
        return value, value
    if status is Status.SMALL:
        return 1, threshold - 1
    return (threshold, inf) if value >= threshold else (0, inf)


def line_pins(line: Line, known: Mapping[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """For one equation, the range each cell can take given the others' ranges (exact for integers:
    with coefficients ±1, every integer between the two ends is reachable)."""
    cells, total = line
    terms = [(i, 1) for i in cells] + [(total, -1)]
    lows, highs = [], []
    for i, sign in terms:
        lo, hi = known[i]
        lows.append(lo if sign > 0 else -hi)
        highs.append(hi if sign > 0 else -lo)
    low_finite = sum(x for x in lows if x != -inf)
    low_infinite = sum(1 for x in lows if x == -inf)
    high_finite = sum(x for x in highs if x != inf)
    high_infinite = sum(1 for x in highs if x == inf)
    result = {}
    for (i, sign), own_low, own_high in zip(terms, lows, highs, strict=True):
        others_low = (
            -inf if low_infinite - (own_low == -inf) > 0 else low_finite - (0 if own_low == -inf else own_low)
        )
        others_high = (
            inf
            if high_infinite - (own_high == inf) > 0
            else high_finite - (0 if own_high == inf else own_high)
        )
        # sign * x_i + others == 0
        lo, hi = (-others_high, -others_low) if sign > 0 else (others_low, others_high)
        current_lo, current_hi = known[i]
        result[i] = (max(current_lo, lo), min(current_hi, hi))
    return result


def _hidden(status: Status) -> bool:
    return status is not Status.SHOWN


def _known(values: Sequence[int], status: Sequence[Status], threshold: int, ids: Iterable[int]):
    return {i: bounds(values[i], status[i], threshold) for i in ids}


def _pinned_in_line(values, line: Line, status, threshold, skip: set[int]) -> int | None:
    cells, total = line
    ids = (*cells, total)
    if not any(_hidden(status[i]) for i in ids):
        return None
    ranges = line_pins(line, _known(values, status, threshold, ids))
    for i in ids:
        lo, hi = ranges[i]
        if _hidden(status[i]) and lo == hi and i not in skip:
            return i
    return None


def _fix_line_by_line(values, lines, lines_of, status, threshold, unfixable: set[int]) -> None:
    # A queue without repeats: a long column touched by many row fixes is checked once per pass.
    pending = deque(range(len(lines)))
    queued = set(pending)
    while pending:
        number = pending.popleft()
        queued.discard(number)
        pinned = _pinned_in_line(values, lines[number], status, threshold, unfixable)
        if pinned is None:
            continue
        choice = _complement(values, lines, lines_of, status, number)
        if choice is None:
            unfixable.add(pinned)
            continue
        status[choice] = Status.COMPLEMENTARY
        for again in (number, *lines_of[choice]):
            if again not in queued:
                pending.append(again)
                queued.add(again)


def _pinned_across_lines(values, lines, status, threshold) -> list[int]:
    """Hidden cells whose value follows from all the equations together (bounds propagation)."""
    known = _known(values, status, threshold, range(len(values)))
    relevant = [line for line in lines if any(_hidden(status[i]) for i in (*line[0], line[1]))]
    for _round in range(_MAX_ROUNDS):
        changed = False
        for line in relevant:
            for i, (lo, hi) in line_pins(line, known).items():
                if (lo, hi) != known[i]:
                    known[i] = (lo, hi)
                    changed = True
        if not changed:
            break
    return sorted(i for i, (lo, hi) in known.items() if _hidden(status[i]) and lo == hi)


def _complement(values, lines, lines_of, status, number: int) -> int | None:
    """The cell to hide next in this line: the smallest published non-zero cell, preferring one
    whose other lines already hide something (so no new line is opened); else the total."""
    cells, total = lines[number]
    candidates = [i for i in cells if not _hidden(status[i]) and values[i] > 0]
    if candidates:

        def opens_new_line(i: int) -> bool:
            return any(
                not any(_hidden(status[j]) for j in (*lines[other][0], lines[other][1]))
                for other in lines_of[i]
                if other != number
            )

        return min(candidates, key=lambda i: (opens_new_line(i), values[i], i))
    if not _hidden(status[total]) and values[total] > 0:
        return total
    return None


def _first_seen_columns[R: Hashable, C: Hashable](rows: Mapping[R, Mapping[C, int]]) -> tuple:
    seen: dict = {}
    for row in rows.values():
        for column in row:
            seen.setdefault(column, None)
    return tuple(seen)


class _Rest:
    """The implicit "everything else" cell of :func:`suppress_counts`."""

    def __repr__(self) -> str:
        return "<rest>"
