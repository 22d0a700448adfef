"""notify-api's work figures on `/metrics`, beside the kit's HTTP ones: timers fired, deliveries sent, live
inbox streams open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge


@dataclass(frozen=True)
class WorkMetrics:
    timers: Counter
    deliveries: Counter


def work_metrics(registry: CollectorRegistry | None = None) -> WorkMetrics:
    """Counters in `registry` (the app's); without one they count but are exported nowhere."""
    return WorkMetrics(
        timers=Counter("notify_timers_taken_total", "Due timers taken by this process's scheduler", registry=registry),
        deliveries=Counter(
            "notify_delivery_attempts_total",
            "Delivery attempts made by this process, by channel and outcome",
            ["channel", "outcome"],
            registry=registry,
        ),
    )


def stream_gauge(registry: CollectorRegistry, open_streams: Callable[[], int]) -> Gauge:
    """The live inbox streams open on this process, read when scraped: each holds a connection for as long as
    a browser keeps its inbox open, so this is what sizes a replica's connections (and shows where a user's
    stream landed)."""
    gauge = Gauge("notify_inbox_streams", "Live inbox streams open on this process", registry=registry)
    gauge.set_function(open_streams)
    return gauge
