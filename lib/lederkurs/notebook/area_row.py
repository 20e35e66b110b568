"""One focus area as one widget: its name, the «before», «now» and «in a year» sliders, its saved-status line and,
for an area of her own, «Fjern».

Each slider is the browser's own <input type="range"> with a real <label>: ipywidgets' IntSlider draws its handle
without an accessible name (axe: aria-input-field-name), so a screen-reader user could not tell 24 sliders apart.
The whole area is one model: JupyterLab creates a kernel's widget models one after another before it shows the
next cell's output, and 04's eight areas as ten ipywidgets each (boxes, labels, their styles) kept its first
answer box waiting. anywidget ships it without a build step.

A slider starts "not set" (value None): its handle rests in the middle, greyed, its readout says so, and nothing
is saved until the participant moves it (a click, a drag or an arrow key).
"""

from __future__ import annotations

import anywidget
import traitlets

from .. import theme
from ..answers.model import SCALE

SLIDERS = ("before", "now", "goal")  # the traits, in the order shown

_ESM = """
const KEYS = ["before", "now", "goal"];

function slider(model, key, index) {
  const id = "lk-range-" + Math.random().toString(36).slice(2);
  const box = document.createElement("div");
  box.className = "lk-range";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "lk-range-label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.step = "1";
  input.min = "LOW";
  input.max = "HIGH";
  // Arrow keys move the slider, not JupyterLab's cell selection.
  input.setAttribute("data-lm-suppress-shortcuts", "true");
  const out = document.createElement("output");
  out.htmlFor = id;
  out.className = "lk-range-value";
  function sync() {
    const value = model.get(key);
    const unset = value === null || value === undefined;
    label.textContent = model.get("labels")[index];
    input.value = String(unset ? MIDDLE : value);
    input.setAttribute("aria-label", model.get("names")[index]);
    if (unset) {
      input.setAttribute("aria-valuetext", model.get("unset_text"));
    } else {
      input.removeAttribute("aria-valuetext");
    }
    box.classList.toggle("lk-range-unset", unset);
    out.textContent = unset ? model.get("unset_text") : String(value);
  }
  input.addEventListener("input", () => {
    out.textContent = input.value;
    input.removeAttribute("aria-valuetext");
    box.classList.remove("lk-range-unset");
  });
  // "change" comes when the participant lets go (or per arrow key): one save and one redraw per move. A click
  // on the handle where it rests (the middle, while not set) changes nothing, but is a choice: pointerup.
  function commit() {
    const value = Number(input.value);
    if (model.get(key) !== value) {
      model.set(key, value);
      model.save_changes();
    }
  }
  input.addEventListener("change", commit);
  input.addEventListener("pointerup", commit);
  box.append(label, input, out);
  return { box, sync };
}

function render({ model, el }) {
  const head = document.createElement("div");
  head.className = "lk-area-head";
  const title = document.createElement("strong");
  head.append(title);
  if (model.get("remove_text")) {
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "jupyter-button lk-area-remove";
    remove.textContent = model.get("remove_text");
    remove.setAttribute("aria-label", model.get("remove_name"));  // which of her areas: «Fjern «X»»
    remove.addEventListener("click", () => model.send({ event: "remove" }));
    head.append(remove);
  }
  const row = document.createElement("div");
  row.className = "lk-area-sliders";
  const sliders = KEYS.map((key, index) => slider(model, key, index));
  row.append(...sliders.map((s) => s.box));
  const status = document.createElement("div");
  status.className = "lk-area-status";
  function sync() {
    title.textContent = model.get("title");
    status.innerHTML = model.get("status");  // the course's own autoescaped template fragment
    sliders.forEach((s) => s.sync());
  }
  model.on("change", sync);
  sync();
  el.classList.add("lk-area");
  el.append(head, row, status);
}
export default { render };
""".replace("LOW", str(SCALE[0])).replace("HIGH", str(SCALE[-1])).replace("MIDDLE", str((SCALE[0] + SCALE[-1]) // 2))

_CSS = """
.lk-area { margin: 0 0 0.6em 0; }
.lk-area-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6em; }
.lk-area-sliders { display: flex; flex-flow: row wrap; }
.lk-range { display: flex; align-items: center; gap: 0.6em; margin: 0.15em 1.5em 0.15em 0; }
.lk-range-label { min-width: 15em; }
.lk-range input[type="range"] { width: 12em; accent-color: ACCENT; }
.lk-range-value { min-width: 5em; font-weight: bold; }  /* a number or the not-set text: the next slider stays put */
.lk-range-unset input[type="range"] { accent-color: UNSET; }
.lk-range-unset .lk-range-value { font-weight: normal; font-style: italic; }
""".replace("ACCENT", theme.ACCENT).replace("UNSET", theme.UNSET)


class AreaRow(anywidget.AnyWidget):
    """The browser's side of a focus area; focus.FocusRow saves what is moved."""

    _esm = _ESM
    _css = _CSS
    title = traitlets.Unicode("").tag(sync=True)  # the area's name, with the guide's direction (↑/↓)
    labels = traitlets.List(traitlets.Unicode(), default_value=["", "", ""]).tag(sync=True)  # per slider
    names = traitlets.List(traitlets.Unicode(), default_value=["", "", ""]).tag(sync=True)  # "Veiledning – Nå"
    unset_text = traitlets.Unicode("").tag(sync=True)  # a readout while not set: "ikke satt"
    before = traitlets.Int(None, allow_none=True).tag(sync=True)  # None: not set, never saved
    now = traitlets.Int(None, allow_none=True).tag(sync=True)
    goal = traitlets.Int(None, allow_none=True).tag(sync=True)  # «om et år»: the file's, not a round's
    status = traitlets.Unicode("").tag(sync=True)  # HTML: a fragment of reports/templates
    remove_text = traitlets.Unicode("").tag(sync=True)  # «Fjern» for her own areas; empty for the guide's
    remove_name = traitlets.Unicode("").tag(sync=True)  # its name for a screen reader, with the area's

    @traitlets.validate(*SLIDERS)
    def _on_the_scale(self, proposal: traitlets.Bunch) -> int | None:
        """A value from the browser is a person's input: only the scale's numbers (or not set) are taken."""
        value = proposal["value"]
        if value is not None and (isinstance(value, bool) or value not in SCALE):  # true would be saved as 1
            raise traitlets.TraitError(f"{proposal['trait'].name}={value!r} is not on the scale")
        return value
