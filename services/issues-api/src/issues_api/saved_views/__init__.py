"""Saved ledger views (常用筛选): each user's named sets of the ledger's filters."""
