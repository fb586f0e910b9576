"""Argon2id with OWASP's parameters rather than Django's heavier defaults.

Django's Argon2 hasher asks for 100 MiB of memory and 8 lanes per hash. On this project's
servers that cost about a quarter of a second of CPU per sign-in (measured by the load test's
sign-in phase, loadtests/logins.py), with sign-ins queueing behind each other. OWASP's
Password Storage Cheat Sheet gives m = 19 MiB, t = 2, p = 1 as a recommended Argon2id setting.
The parameters travel inside each stored hash, so older hashes still verify, and Django
re-hashes them with these parameters at the learner's next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
