"""notify_api."""
