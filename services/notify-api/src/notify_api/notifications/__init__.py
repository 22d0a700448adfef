"""Notifications: messages turned into inbox rows and deliveries, the inbox API and its live stream."""
