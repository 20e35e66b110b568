"""What a participant's notebook cells call: the session, answer boxes, focus sliders, autosave, transfer."""
