"""自查自纠: units file their own problems, with cause and measures, for the office to confirm or send back."""
