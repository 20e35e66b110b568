"""Content model, blocks, languages and the message catalogue: no IPython, no I/O beyond content/."""
