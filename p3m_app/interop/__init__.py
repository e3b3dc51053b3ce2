"""Public interfaces for other systems (standards other software already speaks)."""
