"""What a participant's notebook cells call: the session, answer boxes, focus sliders, autosave, the download
link at the end of a section, and transfer (report, upload, sharing)."""
