"""measure_requests.py --instructions: callgrind counts each marked part of a process apart."""

import subprocess
import sys
from pathlib import Path

from loadtests.measure_requests import callgrind, part_totals

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
from loadtests.measure_requests import mark
mark()
sum(range(20_000))
mark()
sum(range(200_000))
mark()
"""


def test_each_marked_part_is_counted_on_its_own_and_the_same_each_time(tmp_path):
    def count(run: str) -> dict[int, int]:
        parts = tmp_path / run
        parts.mkdir()
        command = [*callgrind(parts), sys.executable, "-c", SCRIPT]
        subprocess.run(command, cwd=ROOT, check=True, env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"})
        return part_totals(parts)

    first, second = count("first"), count("second")

    # Part 1 is the start-up, up to the first mark; parts 2 and 3 are the two sums; 4 the exit.
    assert sorted(first) == [1, 2, 3, 4]
    small, large = first[2], first[3]
    assert 8 * small < large < 12 * small  # ten times the work, ten times the instructions
    assert abs(second[3] - large) < large / 100  # repeatable, whatever else the machine does
