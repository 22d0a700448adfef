"""Report figures: summary, unit ranking, trend, categories, overdue and accountability lists."""
