"""Prometheus metrics on /metrics, for a scraper holding TRAINER_METRICS_TOKEN (404 without).

Request latency per route, exam starts and submits, certificates issued, and the depth of
the work queues. Each app has its own registry (two apps in a process never mix counts);
under gunicorn set PROMETHEUS_MULTIPROC_DIR so the workers' counts are added up.
"""

import hmac
import os

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from trainer.certificates.models import Certificate
from trainer.certificates.services import ISSUED
from trainer.events import listen
from trainer.extensions import db
from trainer.permissions import public

bp = Blueprint("metrics", __name__)
EXAM_ENDPOINTS = {"quizzes.start": "start", "quizzes.submit": "submit"}


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.latency = Histogram(
            "trainer_request_seconds",
            "Request latency by route",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.exams = Counter(
            "trainer_exam_actions",
            "Exam attempts started and submitted",
            ["action"],
            registry=self.registry,
        )
        self.certificates = Counter(
            "trainer_certificates_issued", "Certificates issued", registry=self.registry
        )
        self.registry.register(QueueDepth())


class QueueDepth:
    """Read at scrape time: RQ queue lengths (with Redis) and PDFs still to be written."""

    def describe(self):
        return []

    def collect(self):
        depth = GaugeMetricFamily(
            "trainer_job_queue_depth", "Work waiting, by queue", labels=["queue"]
        )
        app = current_app._get_current_object()
        url = app.config.get("REDIS_URL")
        for name in app.extensions["rq_queues"] if url else []:
            try:
                connection = Redis.from_url(url, **app.config.get("REDIS_OPTIONS", {}))
                depth.add_metric([name], Queue(name, connection=connection).count)
            except Exception:  # Redis down: the readiness check reports it, metrics go on
                continue
        missing = db.session.scalar(
            select(func.count()).select_from(Certificate).where(Certificate.pdf_sha256.is_(None))
        )
        db.session.rollback()
        depth.add_metric(["certificate_pdfs"], missing)
        yield depth


def metrics_of(app: Flask) -> Metrics:
    return app.extensions["metrics"]


def observe(response):
    fields = g.get("request_fields")
    metrics = metrics_of(current_app)
    if fields and fields["route"]:
        metrics.latency.labels(fields["method"], fields["route"], str(fields["status"])).observe(
            fields["latency_ms"] / 1000
        )
    action = EXAM_ENDPOINTS.get(request.endpoint or "")
    if action and request.method == "POST" and response.status_code < 400:
        metrics.exams.labels(action).inc()
    return response


def count_issue(certificate_id: int, actor_id: int | None) -> None:
    metrics_of(current_app).certificates.inc()


@bp.get("/metrics")
@public
def scrape():
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        abort(404)
    registry = metrics_of(current_app).registry
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.extensions["metrics"] = Metrics()
    # registered before the request log's hook, so Flask runs it after (after_request is LIFO)
    app.after_request(observe)
    listen(app, ISSUED, count_issue, after_commit=True)
    app.register_blueprint(bp)
