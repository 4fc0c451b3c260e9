// 批量查询: up to 500 numbers from a pasted list or a CSV file, sent a few at a time, shown in a
// table filtered by what became of them, stopped on an account problem, exported as CSV.
// A run's rows change as their answers come: this view redraws them itself, a few times a second
// (below), rather than through update() once per answer.

import { state, update } from './state.js';
import * as store from './store.js';
import { parseBatchInput, toCsv } from './csv.js';
import { $, t, pick, el, fill, eventTime, billedLabel, billedText, buildUrl, queueUntilReady } from './ui.js';
import { carrierLabel, carrierNameFor, cleaned } from './core.js';
import { currentTarget, sourceOf, scenarioUsed, targetOrSay } from './endpoint.js';
import { performCall } from './transport.js';
import { historyEntryFor } from './history.js';

const BATCH_LIMIT = 500;

// The account problems after which every further call of a batch would fail the same way (and
// some of them, on a quota that is used up, might still be billed by a retrying client).
const ACCOUNT_STATES = new Set(['quota_used_up', 'appcode_invalid', 'not_authorised', 'forbidden']);

const BATCH_COLUMNS = ['index', 'number', 'code', 'carrier', 'state', 'http', 'status', 'billed',
  'latest_time', 'latest', 'msg', 'source'];

// The filter a row falls under: 签收 / 在途 / 无轨迹 / 有问题 / 未发送.
const BATCH_FILTERS = ['all', 'delivered', 'transit', 'none', 'problem', 'unsent'];
function batchGroup(row) {
  if (row.state !== 'done') return ['local', 'cancelled', 'held'].includes(row.state) ? 'unsent' : 'pending';
  const state = row.outcome.state;
  if (state === 'delivered') return 'delivered';
  if (['in_transit', 'out_for_delivery', 'picked_up'].includes(state)) return 'transit';
  if (state === 'no_record') return 'none';
  return 'problem';
}

// The cells of one batch row, as shown and as exported.
function batchCells(row) {
  const cells = {
    index: row.index + 1, number: row.number, code: row.code,
    source: t(row.demo ? 'batch.source.demo' : 'batch.source.real'),
  };
  if (row.state === 'pending' || row.state === 'running') return { ...cells, state: '…' };
  if (row.state === 'cancelled') return { ...cells, state: t('batch.cancelled') };
  if (row.state === 'held') return { ...cells, state: t('batch.held'), billed: billedLabel('not_billed') };
  if (row.state === 'local') {
    const a = row.validation.answer;
    const said = `${t('batch.local')}: ${pick(a.title)}`;
    return { ...cells, state: said, http: '', billed: billedLabel('not_billed'), msg: a.msg };
  }
  const o = row.outcome;
  const latest = o.events[0];
  return {
    ...cells,
    carrier: carrierLabel(carrierNameFor(o, row.params)),
    state: pick(o.state_label),
    http: o.http_status || '',
    status: o.raw_status ?? '',
    billed: billedText(o.billed, row.demo),
    latest_time: eventTime(latest),
    latest: latest?.content || '',
    msg: o.msg,
  };
}

function renderBatchRow(row) {
  const cells = batchCells(row);
  const tr = row.node || el('tr', {});
  row.node = tr;
  const group = batchGroup(row);
  tr.className = `batch-row state-${row.outcome?.state || row.state} group-${group}`;
  tr.dataset.state = row.outcome?.state || row.state;
  tr.dataset.group = group;
  tr.hidden = state.batchFilter !== 'all' && group !== state.batchFilter;
  // data-label: on a phone each row is a card and every cell names its column.
  tr.replaceChildren(...BATCH_COLUMNS.map((c) => el('td',
    { className: `col-${c}`, dataset: { label: t(`batch.col.${c}`) }, text: cells[c] ?? '' })));
  return tr;
}

export function renderBatchTable() {
  const { batch } = state;
  if (!batch) {
    $('batch-table-wrap').hidden = true;
    return;
  }
  $('batch-head').replaceChildren(...BATCH_COLUMNS.map((c) =>
    el('th', { scope: 'col', className: `col-${c}`, text: t(`batch.col.${c}`) })));
  $('batch-rows').replaceChildren(...batch.rows.map(renderBatchRow));
  $('batch-table-wrap').hidden = false;
}

// The rows the chosen filter shows (only `hidden` changes: a table of hundreds of rows is not
// drawn again for it) and the filter buttons with their counts.
export function renderBatchFilter() {
  for (const row of state.batch?.rows ?? []) {
    if (row.node) row.node.hidden = state.batchFilter !== 'all' && batchGroup(row) !== state.batchFilter;
  }
  renderBatchFilters();
}

function renderBatchFilters() {
  const box = $('batch-filters');
  const { batch } = state;
  if (!batch) {
    box.hidden = true;
    return;
  }
  const counts = Object.fromEntries(BATCH_FILTERS.map((f) => [f, 0]));
  for (const row of batch.rows) {
    counts.all += 1;
    const group = batchGroup(row);
    if (group in counts) counts[group] += 1;
  }
  box.hidden = false;
  box.replaceChildren(el('span', { className: 'filters-label', text: t('batch.filter.label') }),
    ...BATCH_FILTERS.map((f) => el('button', {
      type: 'button',
      className: `small filter filter-${f}`,
      'aria-pressed': String(state.batchFilter === f),
      dataset: { filter: f },
      text: t('batch.filter.count', { name: t(`batch.filter.${f}`), n: counts[f] }),
      onclick: () => {
        update({ batchFilter: f });
        box.querySelector(`[data-filter="${f}"]`).focus();
      },
    })));
}

export function renderBatchProgress() {
  const { batch } = state;
  if (!batch) return;
  const done = batch.rows.filter((r) => !['pending', 'running'].includes(r.state)).length;
  $('batch-progress-row').hidden = false;
  $('batch-progress').max = batch.rows.length;
  $('batch-progress').value = done;
  $('batch-progress-text').textContent = t('batch.progress', { done, total: batch.rows.length });
  if (batch.finished) {
    const count = (f) => batch.rows.filter(f).length;
    // On the demo nothing was billed: the count is what the real API would have billed.
    $('batch-summary').textContent = t(batch.rows[0]?.demo ? 'batch.summary_demo' : 'batch.summary', {
      total: batch.rows.length,
      sent: count((r) => r.state === 'done'),
      local: count((r) => r.state === 'local'),
      cancelled: count((r) => r.state === 'cancelled'),
      billed: count((r) => r.outcome?.billed === 'billed'),
    });
    renderBatchStop();
  } else {
    $('batch-summary').textContent = '';
    $('batch-stop').hidden = true;
  }
}

// After an account problem: what happened, the catalogue's 怎么办, and a retry of what did not go.
function renderBatchStop() {
  const box = $('batch-stop');
  const { batch } = state;
  const retry = batch.rows.filter((r) => ['held', 'cancelled'].includes(r.state)
    || (r.state === 'done' && ACCOUNT_STATES.has(r.outcome.state)));
  if (!batch.stoppedBy && !retry.length) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const o = batch.stoppedBy;
  const held = batch.rows.filter((r) => r.state === 'held').length;
  fill(box,
    o ? el('p', {
      className: 'stop-reason', text: t('batch.stopped', { title: pick(o.state_label), n: held }),
    }) : null,
    o ? el('p', { className: 'action' }, el('strong', { text: `${t('result.action')}：` }), pick(o.action))
      : null,
    el('button', {
      type: 'button',
      id: 'batch-retry',
      text: t('batch.retry', { n: retry.length }),
      onclick: () => {
        const rows = retry.map(({ number, code, tel, params, validation }) =>
          ({ number, code, tel, params, validation }));
        confirmBatch(rows, currentTarget());
      },
    }));
}

// A table of hundreds of rows costs a full layout whenever it changes: the progress bar moves
// several times a second, finished rows are drawn about twice a second, never once per answer,
// so the page keeps up with the network.
const PROGRESS_REDRAW_MS = 150;
const ROWS_REDRAW_MS = 500;
const dirtyRows = new Set();
let batchRedraw = 0;
let rowsDrawnAt = 0;

function scheduleBatchRender(row) {
  dirtyRows.add(row);
  if (!batchRedraw) batchRedraw = setTimeout(() => flushBatchRender(false), PROGRESS_REDRAW_MS);
}

function flushBatchRender(all = true) {
  clearTimeout(batchRedraw);
  batchRedraw = 0;
  if (all || performance.now() - rowsDrawnAt >= ROWS_REDRAW_MS) {
    for (const row of dirtyRows) renderBatchRow(row);
    dirtyRows.clear();
    rowsDrawnAt = performance.now();
  }
  renderBatchProgress();
  if (dirtyRows.size && !batchRedraw) {
    batchRedraw = setTimeout(() => flushBatchRender(false), PROGRESS_REDRAW_MS);
  }
}

export function prepareBatch() {
  if (!state.core) {
    queueUntilReady('batch');
    return;
  }
  $('batch-notice').replaceChildren();
  $('batch-confirm').hidden = true;
  const items = parseBatchInput($('batch-input').value);
  if (!items.length) {
    $('batch-notice').textContent = t('batch.empty');
    return;
  }
  if (items.length > BATCH_LIMIT) {
    $('batch-notice').textContent = t('batch.too_many', { n: items.length });
    return;
  }
  const target = targetOrSay($('batch-notice'));
  if (!target) return;
  const seen = new Set();
  const rows = [];
  for (const item of items) {
    // Cleaned as the single query is: full-width digits, a "单号：" label, a name for the carrier.
    const params = { kddh: cleaned('kddh', item.number).value };
    const code = cleaned('code', item.code).value;
    const tel = cleaned('tel', item.tel).value;
    if (code) params.code = code;
    if (tel) params.tel = tel;
    const validation = state.core.validate(params);
    const number = validation.request.tracking_number || item.number;
    const key = `${number}|${params.code || ''}|${params.tel || ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ number: item.number, code: item.code, tel: item.tel, params, validation });
  }
  if (rows.length < items.length) {
    $('batch-notice').textContent = t('batch.duplicates', { n: items.length - rows.length });
  }
  confirmBatch(rows, target);
}

// On a paid endpoint nothing leaves before the person has seen the most it can cost, and which
// numbers will very likely be billed for nothing (a carrier that needs the phone tail, sent
// without it); numbers queried in the last 30 minutes can be skipped.
function confirmBatch(rows, target) {
  const toSend = rows.filter((r) => r.validation.passed);
  const paid = state.endpoint !== 'demo' && toSend.length > 0;
  // Repeats cost nothing on the demo: only a paid batch asks about them.
  const recent = paid
    ? toSend.filter((r) => store.recentQuery(r.validation.request.tracking_number, state.history))
    : [];
  if (!paid && !recent.length) {
    runBatch(rows, target);
    return;
  }
  const tailless = toSend.filter((r) => !r.params.tel
    && r.validation.advisories.some((a) => a.kind === 'phone_tail_needed'));
  const lines = [];
  if (paid) {
    lines.push(el('p', { className: 'confirm-cost', text: t('batch.confirm_cost', { n: toSend.length }) }));
  }
  if (paid && tailless.length) {
    lines.push(el('p', { className: 'confirm-tail', text: t('batch.confirm_tail', { n: tailless.length }) }),
      el('ul', { className: 'confirm-numbers' },
        tailless.slice(0, 20).map((r) => el('li', { className: 'number', text: r.number }))));
  }
  if (recent.length) {
    lines.push(el('p', { className: 'confirm-recent', text: t('batch.recent', { n: recent.length }) }));
  }
  fill($('batch-confirm-text'), lines);
  $('batch-confirm').hidden = false;
  const recentSet = new Set(recent);
  $('batch-run-all').textContent = paid ? t('batch.confirm_go', { n: toSend.length })
    : t('batch.recent.run_all');
  $('batch-run-all').onclick = () => {
    $('batch-confirm').hidden = true;
    runBatch(rows, target);
  };
  $('batch-skip').hidden = !recent.length;
  $('batch-skip').onclick = () => {
    $('batch-confirm').hidden = true;
    runBatch(rows.filter((r) => !recentSet.has(r)), target);
  };
  $('batch-confirm-cancel').onclick = () => {
    $('batch-confirm').hidden = true;
    $('batch-start').focus();
  };
  // The safe choice has the focus: Enter does not start a paid batch by accident.
  $('batch-confirm-cancel').focus();
}

async function runBatch(rows, target) {
  if (!rows.length) {
    $('batch-notice').textContent = t('batch.empty');
    return;
  }
  const controller = new AbortController();
  const source = { ...sourceOf(target), batch: `b${Date.now()}` };
  scenarioUsed();
  const batch = {
    controller,
    finished: false,
    stoppedBy: null,
    rows: rows.map((r, index) =>
      ({ ...r, index, demo: source.demo, state: r.validation.passed ? 'pending' : 'local' })),
  };
  update({ batch, batchFilter: 'all' });
  $('batch-start').disabled = true;
  $('batch-cancel').disabled = false;
  $('batch-export').disabled = true;
  const queue = batch.rows.filter((r) => r.state === 'pending');
  const concurrency = Math.max(1, Math.min(8, Number($('batch-concurrency').value) || 4));
  let next = 0;
  const finished = [];
  const worker = async () => {
    while (next < queue.length && !controller.signal.aborted && !batch.stoppedBy) {
      const row = queue[next++];
      row.state = 'running';
      const request = {
        url: buildUrl(target.url, row.params), headers: target.headers, appcode: target.appcode,
      };
      try {
        const { answer, duration } = await performCall(request, controller.signal);
        row.outcome = state.core.interpret({ ...answer, simulated: source.demo });
        row.duration = duration;
        row.state = 'done';
        // Every further call would fail the same way: stop sending.
        if (ACCOUNT_STATES.has(row.outcome.state) && !batch.stoppedBy) batch.stoppedBy = row.outcome;
        finished.push(historyEntryFor(row.params, row.validation, row.outcome, source));
      } catch {
        row.state = 'cancelled';
      }
      scheduleBatchRender(row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  for (const row of batch.rows) {
    if (row.state === 'pending' || row.state === 'running') {
      row.state = batch.stoppedBy && row.state === 'pending' ? 'held' : 'cancelled';
      dirtyRows.add(row);
    }
  }
  batch.finished = true;
  flushBatchRender();
  renderBatchFilters();
  update({ history: finished.length ? store.addHistory(finished.reverse()) : state.history });
  $('batch-start').disabled = false;
  $('batch-cancel').disabled = true;
  $('batch-export').disabled = false;
}

function exportBatch() {
  const { batch } = state;
  if (!batch) return;
  const header = BATCH_COLUMNS.map((c) => t(`batch.col.${c}`));
  const rows = batch.rows.map((row) => {
    const cells = batchCells(row);
    return BATCH_COLUMNS.map((c) => cells[c] ?? '');
  });
  const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const link = el('a', { href: url, download: `kuaidi-batch-${stamp}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function initBatch() {
  $('batch-start').addEventListener('click', prepareBatch);
  $('batch-cancel').addEventListener('click', () => state.batch?.controller.abort());
  $('batch-export').addEventListener('click', exportBatch);
  $('batch-file').addEventListener('change', async () => {
    const file = $('batch-file').files[0];
    if (!file) return;
    try {
      $('batch-input').value = (await file.text()).replace(/^\ufeff/, '');
      $('batch-notice').textContent = '';
    } catch (error) {
      $('batch-notice').textContent = t('batch.file_error', { error: error.message });
    }
  });
}
