// 查询历史: the queries made in this browser (store.js), newest first, a batch run as one entry;
// each can be shown again without a new call, or queried again.

import { state, restore, update } from './state.js';
import * as store from './store.js';
import { $, t, pick, el, fill, formatTime } from './ui.js';
import { carrierLabel, carrierNameFor, scenarioTitle } from './core.js';
import { showPast } from './result.js';

const HISTORY_SHOWN = 50;

export function historyEntryFor(params, validation, outcome, source) {
  return {
    number: validation.request.tracking_number || params.kddh,
    code: params.code || '',
    carrier: carrierNameFor(outcome, params),
    state: outcome.state,
    label: outcome.state_label,
    http_status: outcome.http_status,
    billed: outcome.billed,
    demo: Boolean(source?.demo),
    scenario: source?.scenario || '',
    batch: source?.batch || '',
    outcome,
    when: Date.now(),
  };
}

let queryAgain = () => {};

const timeOf = (entry) => el('time',
  { datetime: new Date(entry.when).toISOString(), text: formatTime(entry.when) });

function historyRow(entry, extraClass = '') {
  return el('tr', { className: `state-${entry.state}${extraClass}` },
    el('td', { className: 'number', text: entry.number }),
    el('td', { text: carrierLabel(entry.carrier) }),
    el('td', {}, pick(entry.label) || entry.state,
      entry.demo ? [' ', el('span', { className: 'tag tag-demo', text: t('history.demo') })] : null,
      entry.scenario ? [' ', el('span', {
        className: 'tag tag-scenario', text: t('scenario.active', { title: scenarioTitle(entry.scenario) }),
      })] : null),
    el('td', {}, timeOf(entry)),
    el('td', { className: 'history-actions' },
      entry.outcome ? el('button', {
        type: 'button',
        className: 'small history-view',
        'aria-label': `${t('history.view')} ${entry.number}`,
        text: t('history.view'),
        onclick: () => showPast(entry),
      }) : null, ' ',
      el('button', {
        type: 'button',
        className: 'small history-again',
        'aria-label': `${t(entry.demo ? 'history.again_demo' : 'history.again')} ${entry.number}`,
        text: t(entry.demo ? 'history.again_demo' : 'history.again'),
        onclick: () => queryAgain(entry),
      })));
}

export function renderHistory() {
  const box = $('history-body');
  const { history } = state;
  if (!history.length) {
    if (!state.clearedHistory) {
      box.replaceChildren(el('p', { className: 'hint', id: 'history-empty', text: t('history.empty') }));
    }
    $('history-clear').hidden = true;
    return;
  }
  $('history-clear').hidden = false;
  const shown = history.slice(0, HISTORY_SHOWN);
  const rows = [];
  // A batch run is one entry, opened on demand.
  for (let i = 0; i < shown.length; i += 1) {
    const entry = shown[i];
    if (!entry.batch) {
      rows.push(historyRow(entry));
      continue;
    }
    const members = [];
    while (i < shown.length && shown[i].batch === entry.batch) members.push(shown[i++]);
    i -= 1;
    const open = state.historyOpen.has(entry.batch);
    rows.push(el('tr', { className: 'history-batch' },
      el('td', { colspan: '3' }, el('button', {
        type: 'button',
        className: 'link-button history-batch-toggle',
        'aria-expanded': String(open),
        text: t('history.batch', { n: members.length }),
        onclick: () => {
          const historyOpen = new Set(state.historyOpen);
          if (open) historyOpen.delete(entry.batch);
          else historyOpen.add(entry.batch);
          update({ historyOpen });
          box.querySelector(`[data-batch="${entry.batch}"]`)?.focus();
        },
        dataset: { batch: entry.batch },
      })),
      el('td', {}, timeOf(entry)),
      el('td')));
    if (open) rows.push(...members.map((m) => historyRow(m, ' history-member')));
  }
  fill(box,
    el('div', { className: 'table-wrap' }, el('table', { id: 'history-table' },
      el('thead', {}, el('tr', {}, ['number', 'carrier', 'state', 'when', 'again']
        .map((c) => el('th', { scope: 'col', text: t(`history.col.${c}`) })))),
      el('tbody', {}, rows))),
    history.length > HISTORY_SHOWN
      ? el('p', { className: 'hint', text: t('history.more', { n: history.length - HISTORY_SHOWN }) })
      : null);
}

// again(entry): 再查一次, the form's (lent by app.js: the form records its answers here).
export function initHistory({ again }) {
  queryAgain = again;
  restore({ history: store.loadHistory() });
  // Clearing can be undone (until the next clear or reload), rather than asked about first.
  $('history-clear').addEventListener('click', () => {
    const removed = state.history;
    store.clearHistory();
    update({ history: [], clearedHistory: true });
    const undo = el('button', {
      type: 'button',
      id: 'history-undo',
      className: 'small',
      text: t('history.undo'),
      onclick: () => {
        update({ history: store.restoreHistory(removed), clearedHistory: false });
        $('history-clear').focus();
      },
    });
    fill($('history-body'), el('p', { className: 'hint', id: 'history-empty', role: 'status' },
      t('history.cleared', { n: removed.length }), ' ', undo));
    undo.focus();
  });
}
