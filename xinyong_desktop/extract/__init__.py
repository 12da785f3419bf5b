"""Classification of pages into material kinds and reading of their fields."""
