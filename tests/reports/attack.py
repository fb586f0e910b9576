"""An attacker written independently of learning.reports.suppression: what a reader can work out
from published marks and totals."""

import csv
import io

from learning.reports.suppression import HIDDEN_MARK, THRESHOLD, Cell, Status, SuppressedTable


def reader_domain(cell: Cell, cap: int) -> range:
    """What a reader knows of a cell from its mark: "< 5" is 1..4; "x" is 5 or more (stronger than
    the truth, "0 or 5 or more", so a protection that holds against it holds against the reader)."""
    if cell.status is Status.SHOWN:
        return range(cell.value, cell.value + 1)
    if cell.status is Status.SMALL:
        return range(1, cell.threshold)
    return range(cell.threshold, max(cap, cell.threshold) + 1)


def values_by_subtraction(cells: list[Cell], total: Cell) -> dict[int, set[int]]:
    """For a line whose total is published: every value each hidden cell can take, given the total
    minus the published cells and the marks of the others (enumerating reachable sums)."""
    assert not total.hidden
    rest = total.value - sum(cell.value for cell in cells if not cell.hidden)
    hidden = [i for i, cell in enumerate(cells) if cell.hidden]
    domains = {i: reader_domain(cells[i], total.value) for i in hidden}
    possible = {}
    for i in hidden:
        sums = {0}
        for j in hidden:
            if j != i:
                sums = {s + v for s in sums for v in domains[j] if s + v <= rest}
        possible[i] = {v for v in domains[i] if rest - v in sums}
    return possible


def lines_with_published_totals(table: SuppressedTable) -> list[tuple[list[Cell], Cell]]:
    lines = []
    if table.column_totals is not None:
        for column in table.columns:
            lines.append(([table.cell(row, column) for row in table.rows], table.column_totals[column]))
    if table.row_totals is not None:
        for row in table.rows:
            lines.append(([table.cell(row, column) for column in table.columns], table.row_totals[row]))
    if table.grand_total is not None:
        lines.append((list(table.row_totals.values()), table.grand_total))
        lines.append((list(table.column_totals.values()), table.grand_total))
    return [(cells, total) for cells, total in lines if not total.hidden]


def assert_no_cell_recoverable_by_subtraction(table: SuppressedTable) -> None:
    for cells, total in lines_with_published_totals(table):
        # The plain attack: a single hidden cell is the total minus the published ones.
        assert sum(cell.hidden for cell in cells) != 1, (cells, total)
        # The sharper one: the marks' ranges must leave every hidden cell at least two values.
        for i, values in values_by_subtraction(cells, total).items():
            assert len(values) >= 2, (cells[i], cells, total)


def cell_from_mark(text: str) -> Cell:
    """A cell as a reader of the page or the CSV sees it (the value of a mark is unknown: 0)."""
    if text == f"< {THRESHOLD}":
        return Cell(0, Status.SMALL)
    if text == HIDDEN_MARK:
        return Cell(0, Status.COMPLEMENTARY)
    return Cell(int(text), Status.SHOWN)


def assert_published_columns_resist_subtraction(rows: list[list[str]]) -> None:
    """``rows``: a table as text, the heading row first, the totals row last (first column: labels).
    For every column whose total is published, no hidden cell follows from the others."""
    body, totals = rows[1:-1], rows[-1]
    for column in range(1, len(totals)):
        total = cell_from_mark(totals[column])
        if total.hidden:
            continue
        cells = [cell_from_mark(row[column]) for row in body]
        assert sum(cell.hidden for cell in cells) != 1, (rows[0][column], [row[column] for row in body])
        for values in values_by_subtraction(cells, total).values():
            assert len(values) >= 2, (rows[0][column], [row[column] for row in body], totals[column])


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))
