"""Figures the audits and budgets measure (pairs tried, violations, bytes), printed together
at the end of the run, so CI shows them whether or not the tests passed."""

LINES: list[str] = []


def figure(line: str) -> None:
    LINES.append(line.strip("\n"))


def write_summary(terminalreporter) -> None:
    if not LINES:
        return
    terminalreporter.write_sep("=", "audit and budget figures")
    for line in LINES:
        terminalreporter.write_line(line)
