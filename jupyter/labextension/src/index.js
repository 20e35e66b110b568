// Participant mode for the course's notebooks (those whose metadata has "lederkurs", which `lederkurs build`
// writes): a leader who opens one sees the guide's text, the questions and the answer boxes, and nothing of a
// programmer's tool. The notebook runs itself once its kernel is ready; code cells and prompt numbers are
// hidden (style/index.css); the notebook never counts as changed, so closing its tab asks nothing (her answers
// are saved by the course as she types, not in the notebook), and saving it (File → Save, Save All, Ctrl+S)
// writes nothing: the executed notebook never goes back over the course's file, and she is told her answers
// are saved already. Other notebooks are left alone. Switch: the setting "participantMode", or
// `jupyter labextension disable lederkurs-participant`.
import { Notification } from "@jupyterlab/apputils";
import { INotebookTracker, NotebookActions } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";

const PLUGIN = "lederkurs-participant:plugin";
const CLASS = "lk-participant";
const KEEP = "lederkurs:no-save-as";
// The chrome a participant meets (participant mode, with "lk-participant-mode" on the page's body): only these
// menus and items (a command's id, or a submenu's), no side bars; style/index.css hides what is left (the
// notebook toolbar but for the kernel, the status bar but for the kernel's status). Every string left is in the
// course's language pack (lederkurs/jupyterlab_nb).
const KEEP_MENUS = {
  "jp-mainmenu-file": ["docmanager:save", "docmanager:download", "apputils:print", "application:close",
                       "application:close-all", "filemenu:logout", "filemenu:shutdown", "hub:control-panel",
                       "hub:logout"],
  "jp-mainmenu-run": ["runmenu:run-all", "notebook:restart-run-all"],
  "jp-mainmenu-kernel": ["kernelmenu:interrupt", "kernelmenu:restart", "notebook:restart-run-all",
                         "kernelmenu:shutdown"],
  "jp-mainmenu-settings": ["jp-mainmenu-settings-apputilstheme", "jp-mainmenu-settings-language"]
};

// Inside the menus kept: "Install more languages…" leads to the Extension Manager, which she does not have.
const DROP = ["jupyterlab-translation:install-languages"];
// The menus' own "Restart Kernel and Run All" joins two labels into one ("%1 and %2"), which no translation
// can put in lower case; the notebook's command with the same action has one label of its own.
const REPLACE = { "runmenu:restart-and-run-all": "notebook:restart-run-all" };

function pruneMenu(menu, keep) {
  for (const item of [...menu.items]) {
    if (REPLACE[item.command]) {
      menu.insertItem(menu.items.indexOf(item), { command: REPLACE[item.command] });
    }
  }
  for (const item of [...menu.items]) {
    const name = item.type === "submenu" ? item.submenu && item.submenu.id : item.command;
    if (item.type !== "separator" && !keep.includes(name)) {
      menu.removeItem(item);
    } else if (item.type === "submenu" && item.submenu) {
      for (const inner of [...item.submenu.items]) {
        if (DROP.includes(inner.command)) {
          item.submenu.removeItem(inner);
        }
      }
    }
  }
}

function lessChrome(app) {
  document.body.classList.add("lk-participant-mode");
  const shell = app.shell;
  // No side panels (the file browser, the table of contents …): the notebooks link to each other. Opening a
  // notebook by its address opens the file browser after the layout is restored: closed again.
  const collapse = () => {
    if (!shell.leftCollapsed) {
      shell.collapseLeft();
    }
    if (!shell.rightCollapsed) {
      shell.collapseRight();
    }
  };
  collapse();
  shell.layoutModified.connect(collapse);
  for (const side of ["left", "right"]) {
    if (shell.isSideTabBarVisible && shell.isSideTabBarVisible(side)) {
      shell.toggleSideTabBarVisibility(side);
    }
  }
  for (const bar of shell.widgets("menu")) {
    const prune = () => {
      for (const menu of [...(bar.menus || [])]) {
        const keep = KEEP_MENUS[menu.id];
        if (keep) {
          pruneMenu(menu, keep);
        } else {
          bar.removeMenu(menu);
        }
      }
    };
    prune();
    // Items added later (a kernel's help links, the recent files) go before a menu opens.
    for (const event of ["pointerdown", "keydown"]) {
      bar.node.addEventListener(event, prune, true);
    }
  }
}

// What "Save" says in a course notebook, in the notebook's language (its metadata "lederkurs": {"lang": …}).
const SAVED_ALREADY = {
  nb: "Svarene dine lagres av seg selv mens du skriver. Kursets notatbok lagres ikke.",
  nn: "Svara dine blir lagra av seg sjølv medan du skriv. Notatboka til kurset blir ikkje lagra.",
  en: "Your answers are saved as you type. The course's notebook itself is not saved."
};

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

// Every way of saving a document (File → Save, Save All, Ctrl+S, the toolbar, autosave) goes through its
// context's save(): in a course notebook it writes nothing, and says why.
function neverSave(panel) {
  const lang = (panel.context.model.getMetadata("lederkurs") || {}).lang;
  panel.context.save = async () => {
    Notification.info(SAVED_ALREADY[lang] || SAVED_ALREADY.nb, { autoClose: 6000 });
  };
  // Inside an answer box JupyterLab's shortcuts are off (ipywidgets suppresses them, so typing stays typing),
  // and Ctrl+S would open the browser's «Save page as». Here it says the same as everywhere else in the
  // notebook. Captured: the text box stops its keys from bubbling. (Where JupyterLab handles Ctrl+S itself, on
  // the document, the key never reaches the notebook's node.)
  panel.node.addEventListener("keydown", event => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      void panel.context.save();
    }
  }, true);
}

async function participate(panel, settings) {
  await panel.context.ready;
  if (!isCourseNotebook(panel) || !settings.participantMode) {
    return;
  }
  panel.addClass(CLASS);
  keepClean(panel);
  neverSave(panel);
  await panel.sessionContext.ready;
  if (panel.isDisposed || !panel.sessionContext.session) {
    return;
  }
  // runCells, not runAll: runAll makes the last cell active, and the page jumps to its end while the first
  // answer boxes appear at the top, where she reads. runCells leaves the selection where it is.
  await NotebookActions.runCells(panel.content, panel.content.widgets, panel.sessionContext);
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
    // Ctrl+Shift+S (Save As) in a course notebook: no dialog; there is nothing of hers to save.
    app.commands.addCommand(KEEP, { label: "", execute: () => undefined });
    app.commands.addKeyBinding({ command: KEEP, keys: ["Accel Shift S"], selector: `.${CLASS}` });
    if (settings.participantMode) {
      app.restored.then(() => lessChrome(app)).catch(reason => console.error("lederkurs-participant:", reason));
    }
    tracker.widgetAdded.connect((_, panel) => {
      participate(panel, settings).catch(reason => console.error("lederkurs-participant:", reason));
    });
  }
};

export default plugin;
