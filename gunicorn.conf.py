"""gunicorn settings read from the repository's top folder: access logs without secret tokens in URLs, and
the objects loaded at start-up frozen out of the garbage collector's scans (gc.freeze): in the master before
it forks (post_fork, for what a preloaded app brought) and in each worker once it has built the app
(post_worker_init), so a feed render does not rescan the ~150,000 objects of imports and the app."""

import gc

logger_class = "coord.log_redaction.GunicornLogger"


def post_fork(server, worker):
    gc.freeze()


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
