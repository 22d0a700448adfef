"""notify-api's copy of each issue's state, as the issues feed carries it."""
