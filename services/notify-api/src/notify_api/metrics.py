"""notify-api's work figures on `/metrics`, beside the kit's HTTP ones: timers fired, deliveries sent."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter


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
