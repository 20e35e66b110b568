"""Focus-shift data (points) and its matplotlib drawings (figures, live redraws, a batch PNG cache)."""
