"""rectify_kit."""
