"""Colours, named once: the charts and the stylesheet of every page and notebook output take them from here.

Meaning is never carried by colour alone (charts add markers, arrows and words); text colours keep a
contrast of at least 4.5:1 on their background.
"""

from __future__ import annotations

# Okabe–Ito colours for the charts, safe for the common colour-vision deficiencies.
MORE = "#0072B2"  # blue: an area the guide says grows, and a move with the guide
LESS = "#D55E00"  # vermilion: an area the guide says shrinks, and a move against the guide
OWN = "#CC79A7"  # reddish purple: the participant's own areas
UNCHANGED = "#555555"
MISSING = "#999999"
INK = "#222222"
INK_SOFT = "#333333"
GRID = "#dddddd"

# Pages and notebook outputs.
TEXT = "#111111"
PAGE = "#ffffff"  # a page's background
ACCENT = "#0b5394"  # links, answer borders, progress bars
UNSET = "#767676"  # a slider not set yet (4.5:1 on white)
ANSWER_BACKGROUND = "#f3f6fa"
NOTE_BORDER = "#b45f06"
NOTE_BACKGROUND = "#fdf3e7"
MUTED = "#555555"
RULE = "#ccccdd"
TRACK = "#dde3ea"
OK = "#2f4f2f"
ERROR = "#a61b1b"
FOCUS_RING = "#0b5394"

CHART = {"with": MORE, "against": LESS, "unchanged": UNCHANGED, "missing": MISSING, "own_up": OWN,
         "own_down": OWN, "more": MORE, "less": LESS}
