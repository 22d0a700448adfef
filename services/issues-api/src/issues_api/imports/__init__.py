"""Importing ledgers (Excel or CSV) and their template: a dry run, a write, a background job with progress."""
