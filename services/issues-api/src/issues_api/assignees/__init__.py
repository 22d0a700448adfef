"""责任落实到人: each unit of an item names its responsible person (责任人) and splits its part into sub-tasks."""
