"""Telling the public who submitted a complaint, when they agreed to it: on acceptance, assignment, closure and
each public reply, and once, one working day after closure, asking for their feedback (回访)."""
