"""Units, users and integration clients."""
