"""Outgoing messages: e-mail now; the outbox, rq jobs and the worker come with the calendar issue."""
