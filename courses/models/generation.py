from django.db import models


class PageGeneration(models.Model):
    """One row: the token of the page tree as it is now (see courses/generation.py).

    It lives in the database, not the cache, so it changes in the same transaction as the pages:
    no process can see the new token before the new pages, and the embedded default's processes
    (server and worker, each with its own memory cache) share it too.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
