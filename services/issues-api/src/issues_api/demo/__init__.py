"""Demo data: realistic problem items for a campaign, with the workflow steps that bring each to its status."""
