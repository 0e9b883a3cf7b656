"""Facts → metrics (placeholder, being written)."""
def link(ctx):
    return [], []
