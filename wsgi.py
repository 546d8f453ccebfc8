"""The WSGI entry for servers, `wsgi:app` (outside the package, so importing coord builds no app): the app
built once, its start-up objects then frozen out of the collector's scans (gc.freeze) before serving.
gunicorn.conf.py freezes them too, whatever the entry."""

import gc

from coord import create_app

app = create_app()
gc.collect()
gc.freeze()
