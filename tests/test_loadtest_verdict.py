"""The load-test harness: its last line (a CI log's tail must name what failed and its figures),
and the presence it counts."""

import json
import time

import redis

from loadtests.harness import PRESENCE_PREFIX, cpu_by_role, forget_presence, online_learners, verdict


def summary(**checks: bool) -> dict:
    return {
        "profile": "smoke",
        "passed": all(checks.values()),
        "checks": checks,
        "learners": 300,
        "learners_target": 300,
        "achieved_rate": 52.0,
        "target_rate": 48.5,
        "errors": {"failures": 0, "events": 3446},
        "worst_http": {"p95": ("sandbox submit dossier", 320.0), "p99": ("lesson", 460.0)},
        "notification_delay_ms": {"p95": 5.0},
        "logins": {"achieved_rate": 1.27, "target_rate": 1.33, "sign_in_ms": {"p95": 430.0}},
    }


def test_a_failed_run_names_only_the_failed_checks_and_the_figures_they_were_judged_on():
    line = verdict(summary(**{"errors < 0.1 %": True, "sign-in at the realistic rate": False}))
    assert line.startswith("smoke: FAILED (sign-in at the realistic rate);")
    assert "errors < 0.1 %" not in line
    assert "sign-in 1.27/1.33/s p95 430.0 ms" in line
    assert "worst p95 320 ms (sandbox submit dossier)" in line
    assert "worst p99 460 ms (lesson)" in line


def test_a_passed_run_says_so():
    assert verdict(summary(**{"errors < 0.1 %": True})).startswith("smoke: PASSED;")


def test_the_counts_of_stopped_servers_are_not_counted_after_the_mass_reconnect(own_redis):
    store = redis.Redis.from_url(own_redis)
    for member, learners in [("old-a", 3000), ("old-b", 2999)]:
        store.set(f"{PRESENCE_PREFIX}:proc:{member}", json.dumps({"learners": learners}), ex=60)
        store.zadd(f"{PRESENCE_PREFIX}:procs", {member: time.time()})
    assert online_learners(store) == 5999
    forget_presence(store)
    assert online_learners(store) == 0
    store.set(f"{PRESENCE_PREFIX}:proc:new", json.dumps({"learners": 12}), ex=60)
    store.zadd(f"{PRESENCE_PREFIX}:procs", {"new": time.time()})
    assert online_learners(store) == 12
    forget_presence(store)


def test_cpu_is_summed_per_moment_and_averaged_per_process_busiest_first():
    samples = [
        {"t": t, "phase": phase, "role": "http", "pid": pid, "cpu": cpu, "rss_mib": 100.0 + pid}
        for phase, t, pid, cpu in [
            ("steady", 1.0, 11, 80.0),
            ("steady", 1.0, 12, 10.0),
            ("steady", 3.0, 11, 90.0),
            ("steady", 3.0, 12, 20.0),
            ("ramp", 0.0, 11, 300.0),  # another phase: not counted
        ]
    ]
    [(role, stats)] = cpu_by_role(samples, "steady").items()
    assert role == "http"
    assert stats == {
        "processes": 2,
        "mean_total_cpu": 100.0,  # (90 + 110) / 2 moments
        "mean_cpu_by_process": [85.0, 15.0],
        "max_process_cpu": 90.0,
        "max_rss_mib": 112.0,
    }
