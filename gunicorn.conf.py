"""gunicorn settings read from the repository's top folder: access logs without secret tokens in URLs."""

logger_class = "coord.log_redaction.GunicornLogger"
