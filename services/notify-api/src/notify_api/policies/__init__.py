"""Escalation policies per campaign."""
