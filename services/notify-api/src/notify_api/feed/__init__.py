"""The issues feed: reading issues-api's events and routing each to the domain that keeps its state."""
