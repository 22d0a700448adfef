"""The directory as notify-api knows it from the feed: units, users, and who to address."""
