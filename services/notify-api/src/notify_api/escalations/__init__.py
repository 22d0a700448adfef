"""The escalation ladder: planning each issue's timers, firing the due ones into escalations and the messages
that tell them, and the acknowledgement of numbered notices."""
