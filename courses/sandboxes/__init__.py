"""Practice sandboxes: scenario step kinds and their pure checkers (no database, no request)."""
