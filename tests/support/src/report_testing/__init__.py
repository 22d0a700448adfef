"""What report-api's tests and bench share: event histories shaped like docs/events.md (`history`), the known
history the figure tests assert against (`scenario`), and the incremental versus rebuilt read model (`rebuild`)."""
