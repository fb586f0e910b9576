"""The learners' own socket count: each Locust worker writes its file, the harness adds them."""

from loadtests import socket_counts


def test_the_workers_counts_are_added_and_nothing_is_counted_before_any_is_written(tmp_path):
    assert socket_counts.total(tmp_path) is None
    socket_counts.write(tmp_path / "worker-0", 2000)
    socket_counts.write(tmp_path / "worker-1", 1999)
    socket_counts.write(tmp_path / "worker-1", 2000)  # the latest count replaces the last
    assert socket_counts.total(tmp_path) == 4000
    assert sorted(path.name for path in tmp_path.iterdir()) == ["worker-0", "worker-1"]  # no partial file
