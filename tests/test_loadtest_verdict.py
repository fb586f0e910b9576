"""The load-test harness: its last line (a CI log's tail must name what failed and its figures),
and the presence it counts."""

import json
import time

import redis

from loadtests.harness import PRESENCE_PREFIX, forget_presence, online_learners, verdict


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
