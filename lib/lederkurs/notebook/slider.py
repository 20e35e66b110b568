"""A 0–10 slider built on the browser's own <input type="range"> with a real <label>.

ipywidgets' IntSlider draws its handle without an accessible name (axe: aria-input-field-name), so a
screen-reader user cannot tell sixteen sliders apart. A native range input is keyboard- and
screen-reader-friendly as it is; anywidget lets us ship it as a small widget without a build step.

A slider starts "not set" (value None): its handle rests in the middle, greyed, its readout says so, and
nothing is saved until the participant moves it (a click, a drag or an arrow key).
"""

from __future__ import annotations

import anywidget
import traitlets

from .. import theme

_ESM = """
function render({ model, el }) {
  const id = "lk-range-" + Math.random().toString(36).slice(2);
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "lk-range-label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.step = "1";
  // Arrow keys move the slider, not JupyterLab's cell selection.
  input.setAttribute("data-lm-suppress-shortcuts", "true");
  const out = document.createElement("output");
  out.htmlFor = id;
  out.className = "lk-range-value";
  function sync() {
    const value = model.get("value");
    const unset = value === null || value === undefined;
    label.textContent = model.get("description");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.value = String(unset ? Math.round((model.get("min") + model.get("max")) / 2) : value);
    input.setAttribute("aria-label", model.get("accessible_name") || model.get("description"));
    if (unset) {
      input.setAttribute("aria-valuetext", model.get("unset_text"));
    } else {
      input.removeAttribute("aria-valuetext");
    }
    el.classList.toggle("lk-range-unset", unset);
    out.textContent = unset ? model.get("unset_text") : String(value);
  }
  input.addEventListener("input", () => {
    out.textContent = input.value;
    input.removeAttribute("aria-valuetext");
    el.classList.remove("lk-range-unset");
  });
  // "change" comes when the participant lets go (or per arrow key): one save and one redraw per move. A click
  // on the handle where it rests (the middle, while not set) changes nothing, but is a choice: pointerup.
  function commit() {
    const value = Number(input.value);
    if (model.get("value") !== value) {
      model.set("value", value);
      model.save_changes();
    }
  }
  input.addEventListener("change", commit);
  input.addEventListener("pointerup", commit);
  model.on("change", sync);
  sync();
  el.classList.add("lk-range");
  el.append(label, input, out);
}
export default { render };
"""

_CSS = """
.lk-range { display: flex; align-items: center; gap: 0.6em; margin: 0.15em 1.5em 0.15em 0; }
.lk-range-label { min-width: 15em; }
.lk-range input[type="range"] { width: 12em; accent-color: ACCENT; }
.lk-range-value { min-width: 1.5em; font-weight: bold; }
.lk-range-unset input[type="range"] { accent-color: UNSET; }
.lk-range-unset .lk-range-value { font-weight: normal; font-style: italic; }
""".replace("ACCENT", theme.ACCENT).replace("UNSET", theme.UNSET)


class ScoreSlider(anywidget.AnyWidget):
    _esm = _ESM
    _css = _CSS
    value = traitlets.Int(None, allow_none=True).tag(sync=True)  # None: not set, never saved
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(10).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    accessible_name = traitlets.Unicode("").tag(sync=True)  # names the area too: "Veiledning – da jeg …"
    unset_text = traitlets.Unicode("").tag(sync=True)  # the readout while not set: "ikke satt"
