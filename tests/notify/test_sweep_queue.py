"""The sweep (uncertain sends, due retries, reminders) does not wait behind a long queue of sends."""

from __future__ import annotations

from redis import Redis
from rq import Queue

from coord.notify import dispatch
from coord.notify.worker import OutboxWorker


def test_a_sweep_enqueued_after_a_hundred_sends_is_the_next_job_the_worker_takes(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)
    connection = Redis.from_url(redis_url)
    with app.app_context():
        sends = dispatch.queue(app, connection)
        for message_id in range(1, 101):
            sends.enqueue(dispatch.SEND_JOB, message_id, job_id=f"send-{message_id}")
        worker = OutboxWorker(
            [dispatch.sweep_queue_name(app), app.config["NOTIFY_QUEUE"]], connection=connection
        )
        dispatch.enqueue_sweep(connection, worker.queues[0], 60)  # what the worker's maintenance step does

        job, queue = Queue.dequeue_any(worker.queues, None, connection=connection)
        assert job.func_name == dispatch.SWEEP_JOB and queue.name == dispatch.sweep_queue_name(app)
        job, queue = Queue.dequeue_any(worker.queues, None, connection=connection)
        assert job.id == "send-1" and queue.name == app.config["NOTIFY_QUEUE"]


def test_the_worker_serves_the_sweep_queue_first(make_app, redis_url, monkeypatch):
    app = make_app(REDIS_URL=redis_url)
    seen = {}

    def work(self, **options):
        seen["queues"] = [queue.name for queue in self.queues]
        return False

    monkeypatch.setattr(OutboxWorker, "work", work)
    from coord.notify.worker import run_worker

    with app.app_context():
        run_worker(app, burst=True)
    assert seen["queues"] == [dispatch.sweep_queue_name(app), app.config["NOTIFY_QUEUE"]]
