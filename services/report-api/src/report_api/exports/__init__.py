"""The Excel ledger export."""
