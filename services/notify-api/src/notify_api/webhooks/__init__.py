"""Webhook subscriptions of other systems: who takes which events, where, signed with which secret."""
