"""counts (placeholder; being written)."""
def extract(text, mask=None): return []
