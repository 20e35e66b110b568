"""What a participant can meet of JupyterLab's own chrome around a course notebook, gathered in a real browser:
the menu bar and every menu and submenu she can open, the notebook's toolbar, the status bar, and the dialogs
behind the menus' items (opened and cancelled). Text, tooltips (title) and accessible names (aria-label) of
visible elements outside the notebook's own cells. Used by tests/test_lab_language.py."""

from __future__ import annotations

from playwright.sync_api import Page

_VISIBLE_STRINGS = """
(root) => {
  const out = new Set();
  const notebook = document.querySelector('.jp-Notebook');
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  for (const e of root.querySelectorAll('*')) {
    if ((notebook && notebook.contains(e)) || !visible(e) || e.closest('.jp-Notification-Toast, .Toastify')) continue;
    for (const node of e.childNodes) {
      if (node.nodeType === 3 && node.textContent.trim()) out.add(node.textContent.trim());
    }
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = e.getAttribute(a);
      if (v && v.trim()) out.add(v.trim());
    }
  }
  return [...out];
}
"""

MENU_ITEMS = ".lm-Menu:visible .lm-Menu-item:not(.lm-mod-hidden):not(.lm-mod-collapsed)"


def _strings(page: Page, selector: str = "body") -> set[str]:
    found: set[str] = set()
    for root in page.locator(selector).all():
        found.update(root.evaluate(_VISIBLE_STRINGS))
    return found


def _dialog(page: Page, found: set[str]) -> None:
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        dialog.first.wait_for(state="visible")
        found.update(_strings(page, ".jp-Dialog"))
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="detached")


# Items whose dialog is opened and cancelled (the others act at once or leave the page).
DIALOG_ITEMS = {"kernelmenu:restart", "notebook:restart-run-all", "filemenu:shutdown"}


def chrome_strings(page: Page) -> set[str]:
    """Every string of JupyterLab's chrome she can meet around the open course notebook."""
    found = _strings(page)
    bar = page.locator("#jp-menu-panel .lm-MenuBar-item")
    for i in range(bar.count()):
        bar.nth(i).click()
        found.update(_strings(page, ".lm-Menu:visible"))
        items = page.locator(MENU_ITEMS)
        commands = [items.nth(j).get_attribute("data-command") for j in range(items.count())]
        submenus = [items.nth(j).element_handle() for j in range(items.count())
                    if items.nth(j).get_attribute("data-type") == "submenu"]
        for handle in submenus:
            handle.hover()
            page.locator(".lm-Menu:visible").nth(1).wait_for()
            found.update(_strings(page, ".lm-Menu:visible"))
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        for command in commands:
            if command in DIALOG_ITEMS:
                bar.nth(i).click()
                page.locator(f'.lm-Menu-item[data-command="{command}"]').click()
                page.locator(".jp-Dialog").first.wait_for(state="visible")
                _dialog(page, found)
    return found
