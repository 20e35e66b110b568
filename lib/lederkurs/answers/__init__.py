"""The answers file: its format and checks (model), the locked atomic store, and merging an upload."""
