"""The read model: facts per issue and rollups, built only from the issues and escalation feeds."""
