"""Delivery: sending queued deliveries over each channel, every attempt logged, and the channels' settings."""
