"""report_api."""
