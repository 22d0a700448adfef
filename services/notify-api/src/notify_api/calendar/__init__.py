"""The working-day calendar and the moments on it: working days, quiet hours, firing hours."""
