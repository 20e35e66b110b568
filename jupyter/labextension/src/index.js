// Participant mode for the course's notebooks (those whose metadata has "lederkurs", which `lederkurs build`
// writes): a leader who opens one sees the guide's text, the questions and the answer boxes, and nothing of a
// programmer's tool. The notebook runs itself once its kernel is ready; code cells and prompt numbers are
// hidden (style/index.css); the notebook never counts as changed, so closing its tab asks nothing (her answers
// are saved by the course as she types, not in the notebook), and Ctrl+S does not write the executed notebook
// back over the course's file. Other notebooks are left alone. Switch: the setting "participantMode", or
// `jupyter labextension disable lederkurs-participant`.
import { INotebookTracker, NotebookActions } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";

const PLUGIN = "lederkurs-participant:plugin";
const CLASS = "lk-participant";
const KEEP = "lederkurs:answers-are-saved";

function isCourseNotebook(panel) {
  return panel.context.model.getMetadata("lederkurs") !== undefined;
}

// The notebook's outputs change as it runs; that is not a change she made, and the file must stay as it is.
function keepClean(panel) {
  const model = panel.context.model;
  const clean = () => {
    if (model.dirty) {
      model.dirty = false;
    }
  };
  model.contentChanged.connect(clean);
  model.stateChanged.connect(clean);
  clean();
}

async function participate(panel, settings) {
  await panel.context.ready;
  if (!isCourseNotebook(panel) || !settings.participantMode) {
    return;
  }
  panel.addClass(CLASS);
  keepClean(panel);
  await panel.sessionContext.ready;
  if (panel.isDisposed || !panel.sessionContext.session) {
    return;
  }
  await NotebookActions.runAll(panel.content, panel.sessionContext);
  // Running moves the selection to the last cell; she starts reading at the top.
  panel.content.activeCellIndex = 0;
  panel.content.deselectAll();
  await panel.content.scrollToItem(0, "start");
}

const plugin = {
  id: PLUGIN,
  description: "Leder for ledere: the course's notebooks open in participant mode.",
  autoStart: true,
  // Optional: Voilà loads JupyterLab extensions too, and has no notebook tracker (nor anything to do here).
  optional: [INotebookTracker, ISettingRegistry],
  activate: async (app, tracker, registry) => {
    if (!tracker) {
      return;
    }
    const settings = { participantMode: true };
    if (registry) {
      try {
        const loaded = await registry.load(PLUGIN);
        settings.participantMode = loaded.get("participantMode").composite !== false;
      } catch (reason) {
        console.warn("lederkurs-participant: settings not loaded, participant mode stays on", reason);
      }
    }
    // Ctrl+S in a course notebook: her answers are already saved, and the notebook is not hers to save.
    app.commands.addCommand(KEEP, { label: "", execute: () => undefined });
    for (const keys of [["Accel S"], ["Accel Shift S"]]) {
      app.commands.addKeyBinding({ command: KEEP, keys, selector: `.${CLASS}` });
    }
    tracker.widgetAdded.connect((_, panel) => {
      participate(panel, settings).catch(reason => console.error("lederkurs-participant:", reason));
    });
  }
};

export default plugin;
