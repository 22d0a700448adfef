"""Monthly meeting reports (例会材料): immutable snapshots rendered as Word and Excel."""
