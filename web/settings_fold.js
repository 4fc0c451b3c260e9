// The query is the first screen: the settings card sits above it and, once an endpoint and an
// AppCode are set, folds to one line ("AppCode 已保存（f3a9****9c）· 阿里云云市场 · 修改").
// It stays open while something is missing, and once the person opened it, until they fold it.

const $ = (id) => document.getElementById(id);

let openedByPerson = false;

// The card above 查询, whatever the page's order in index.html (a first paint before the
// scripts shows it lower down, unfolded, still usable).
export function placeSettings() {
  $('query').before($('settings'));
}

// ready: an endpoint and an AppCode to send; line: what the folded line says; label(key): text.
export function renderSettingsFold({ ready, line, label }) {
  if (!ready) openedByPerson = true;
  const folded = ready && !openedByPerson;
  const card = $('settings');
  card.classList.toggle('folded', folded);
  const summary = $('settings-summary');
  summary.hidden = !folded;
  summary.textContent = folded ? line : '';
  const toggle = $('settings-toggle');
  toggle.hidden = !ready;
  toggle.textContent = label(folded ? 'settings.edit' : 'settings.fold');
  toggle.setAttribute('aria-expanded', String(!folded));
}

// rerender() draws the card again; first() is what gets the focus once the card opens.
export function initSettingsFold({ rerender, first }) {
  $('settings-toggle').addEventListener('click', () => {
    openedByPerson = $('settings').classList.contains('folded');
    rerender();
    if (openedByPerson) first().focus();
    else $('settings-toggle').focus();
  });
}
