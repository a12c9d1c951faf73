// ddb dashboard: polls the master's JSON API and renders it. Every value that
// comes from the cluster is put on the page with textContent, never as HTML,
// so a row holding "<script>" shows as text.
'use strict';

const TOKEN_KEY = 'ddb.http_token';
const POLL_MS = 1000;
const HISTORY = 120;  // lag samples kept per slave (two minutes at 1 s)
const CONFIG_EVERY = 10;  // polls between two reads of /api/config
const VERIFY_EVERY = 5;  // polls between two reads of /api/verify
const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f'];

const lagHistory = new Map();  // slave name -> [lag seconds or null]
let lastLogSeq = -1;
let pollTimer = null;
let polls = 0;
let switchoverRunning = false;
let lastSlaves = [];  // from the last /api/status, for the link to a new master

function $(id) { return document.getElementById(id); }

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const headers = Object.assign({ 'Authorization': 'Bearer ' + token() }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
  if (response.status === 401 || response.status === 403) {
    let message = 'token refused';
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Unauthorized(message);
  }
  const body = await response.json();
  return { status: response.status, body };
}

function showTokenPanel(message) {
  $('dashboard').hidden = true;
  $('forget-token').hidden = true;
  $('token-panel').hidden = false;
  $('token-error').textContent = message || '';
  setConnection('not connected', '');
}

function showDashboard() {
  $('token-panel').hidden = true;
  $('dashboard').hidden = false;
  $('forget-token').hidden = false;
}

function setConnection(text, kind) {
  const pill = $('connection');
  pill.textContent = text;
  pill.className = 'pill ' + kind;
}

function fmtNumber(value, digits) {
  if (value === null || value === undefined) return '';
  return digits === undefined ? String(value) : Number(value).toFixed(digits);
}

function nodeRow(cells, name) {
  const row = document.createElement('tr');
  row.dataset.node = name;
  for (const [text, className] of cells) row.appendChild(el('td', text, className));
  return row;
}

function epochText(epoch) {
  return epoch && epoch.epoch ? 'epoch ' + epoch.epoch : '';
}

function switchoverButton(slave) {
  const cell = document.createElement('td');
  const button = el('button', 'Switch over');
  button.type = 'button';
  button.className = 'switchover';
  button.title = 'make ' + slave.name + ' the master; this node becomes its slave';
  button.disabled = slave.state !== 'online' || switchoverRunning;
  button.addEventListener('click', () => switchOver(slave, button));
  cell.appendChild(button);
  return cell;
}

function renderNodes(status) {
  const tbody = $('nodes').querySelector('tbody');
  const rows = [];
  const m = status.master;
  const masterState = m.state === 'online' ? 'state state-online' : 'state state-error';
  rows.push(nodeRow([[m.name], [('master ' + epochText(m.epoch)).trim()], [m.state, masterState],
                     [m.last_seq, 'num'], ['0', 'num'], ['0.0', 'num'], ['', 'num'], [''], [m.fenced || '', 'error'],
                     ['']], m.name));
  for (const s of status.slaves) {
    const stateClass = 'state state-' + s.state.replace(/ /g, '-');
    const seen = s.last_seen_seconds_ago === null ? '' : fmtNumber(s.last_seen_seconds_ago, 1) + ' s ago';
    rows.push(nodeRow([[s.name], ['slave'], [s.state, stateClass], [fmtNumber(s.acked_seq), 'num'],
                       [fmtNumber(s.behind_records), 'num'], [fmtNumber(s.lag_seconds, 1), 'num'],
                       [s.records_sent, 'num'], [seen], [s.last_error, 'error']], s.name));
    rows[rows.length - 1].appendChild(switchoverButton(s));
  }
  tbody.replaceChildren(...rows);
  lastSlaves = status.slaves;
  $('cluster').textContent = 'cluster ' + m.cluster_id + ' · log #' + m.last_seq;
}

function renderEpochs(status) {
  const epochs = (status.master.epochs || []).slice().reverse();  // newest first
  $('epochs').querySelector('tbody').replaceChildren(...epochs.map(e => {
    const row = document.createElement('tr');
    row.appendChild(el('td', String(e.epoch), 'num'));
    row.appendChild(el('td', '#' + e.first_seq, 'num'));
    row.appendChild(el('td', e.node));
    return row;
  }));
}

function switchoverMessage(text, className, link) {
  const box = el('div', text, className);
  if (link) {
    const a = el('a', ' open its dashboard');
    a.href = link;
    box.appendChild(a);
  }
  $('switchover-message').replaceChildren(box);
}

// The new master's dashboard, when this master knows its HTTP address.
function dashboardOf(name) {
  const slave = lastSlaves.find(s => s.name === name);
  return slave && slave.http ? location.protocol + '//' + slave.http + '/' : null;
}

// POST /api/switchover, then follow GET /api/switchover until it ends; once
// it succeeded this node is a slave and its master API is gone.
async function switchOver(slave, button) {
  if (!confirm('Make ' + slave.name + ' the master? Writes stop until it has taken over; this node becomes ' +
               'its slave.')) return;
  switchoverRunning = true;
  button.disabled = true;
  switchoverMessage('switching over to ' + slave.name + '…', 'hint');
  try {
    const { status, body } = await api('/api/switchover', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: slave.name }),
    });
    if (status !== 202) {
      switchoverMessage(body.error || ('HTTP ' + status), 'error');
      return;
    }
    for (let i = 0; i < 120; ++i) {
      await new Promise(resolve => setTimeout(resolve, 500));
      let state;
      try {
        state = (await api('/api/switchover')).body;
      } catch (e) {
        if (e instanceof Unauthorized) throw e;
        state = { state: 'done', message: slave.name + ' is the master now' };  // this node restarted as a slave
      }
      if (state.state === 'failed') {
        switchoverMessage('switchover to ' + slave.name + ' failed: ' + state.message, 'error');
        return;
      }
      if (state.state === 'done' || state.state === undefined) {
        stopPolling();
        setConnection('this node is a slave now', 'bad');
        switchoverMessage((state.message || slave.name + ' is the master now') + '.', 'hint',
                          dashboardOf(slave.name));
        return;
      }
    }
    switchoverMessage('switchover to ' + slave.name + ' still under way after a minute', 'error');
  } catch (e) {
    if (!forgetTokenIfRefused(e)) switchoverMessage('request failed: ' + e.message, 'error');
  } finally {
    switchoverRunning = false;
  }
}

function recordLag(status) {
  const names = new Set(status.slaves.map(s => s.name));
  for (const name of lagHistory.keys()) if (!names.has(name)) lagHistory.delete(name);
  for (const s of status.slaves) {
    const series = lagHistory.get(s.name) || [];
    // An offline slave has no current lag: a gap in its line, not a zero.
    series.push(s.state === 'offline' || s.state === 'never connected' ? null : s.lag_seconds);
    while (series.length > HISTORY) series.shift();
    lagHistory.set(s.name, series);
  }
}

function drawChart() {
  const canvas = $('lag-chart');
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 30;
  ctx.clearRect(0, 0, w, h);
  let max = 1;
  for (const series of lagHistory.values()) for (const v of series) if (v !== null && v > max) max = v;
  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#555';
  ctx.font = '11px sans-serif';
  ctx.beginPath();
  ctx.moveTo(pad, 5); ctx.lineTo(pad, h - pad); ctx.lineTo(w - 5, h - pad);
  ctx.stroke();
  ctx.fillText(max.toFixed(1) + ' s', 2, 12);
  ctx.fillText('0', 18, h - pad);
  ctx.fillText('last ' + HISTORY + ' s', w - 70, h - 10);
  const legend = [];
  let i = 0;
  for (const [name, series] of lagHistory) {
    const color = COLORS[i++ % COLORS.length];
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let drawing = false;
    series.forEach((v, k) => {
      if (v === null) { drawing = false; return; }
      const x = pad + (w - pad - 5) * (k + HISTORY - series.length) / (HISTORY - 1);
      const y = (h - pad) - (h - pad - 5) * v / max;
      if (drawing) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      drawing = true;
    });
    ctx.stroke();
    const item = el('span', '■ ' + name);
    item.style.color = color;
    legend.push(item);
  }
  $('lag-legend').replaceChildren(...legend);
}

async function refreshLog(lastSeq) {
  if (lastSeq === lastLogSeq) return;
  const after = Math.max(0, lastSeq - 20);
  const { status, body } = await api('/api/log?after=' + after + '&limit=20');
  if (status !== 200) return;
  lastLogSeq = lastSeq;
  const rows = body.records.slice().reverse().map(r => {
    const row = document.createElement('tr');
    row.appendChild(el('td', r.seq, 'num'));
    row.appendChild(el('td', new Date(r.committed_at_micros / 1000).toLocaleString()));
    row.appendChild(el('td', r.kind));
    const cell = document.createElement('td');
    cell.appendChild(el('pre', r.statements.map(s => s.sql + ';').join('\n'), 'statements'));
    row.appendChild(cell);
    return row;
  });
  $('log').querySelector('tbody').replaceChildren(...rows);
}

function renderReload(last) {
  const box = $('last-reload');
  if (!last) {
    box.replaceChildren(el('div', 'no reload since the master started', 'hint'));
    return;
  }
  const when = new Date(last.at_micros / 1000).toLocaleString();
  if (!last.ok) {
    box.replaceChildren(el('div', 'last reload (' + when + ') failed, nothing changed: ' + last.error, 'error'));
    return;
  }
  const lines = last.changes.map(c => c.key + ': ' + c.old + ' -> ' + c.new + ' — ' +
      (c.applied ? 'applied' : c.restart_needed ? 'needs a restart' : 'NOT applied') + (c.note ? ' (' + c.note + ')' : ''));
  box.replaceChildren(el('div', 'last reload (' + when + '): ' + (lines.length ? '' : 'nothing changed'), 'hint'),
                      el('pre', lines.join('\n'), 'statements'));
}

async function refreshConfig() {
  const { status, body } = await api('/api/config');
  if (status !== 200) return;
  renderReload(body.last_reload);
  const rows = body.keys.map(k => {
    const row = document.createElement('tr');
    row.appendChild(el('td', k.key));
    row.appendChild(el('td', k.value));
    row.appendChild(el('td', k.source));
    row.appendChild(el('td', k.change));
    return row;
  });
  $('config').querySelector('tbody').replaceChildren(...rows);
}

function ago(micros) {
  if (!micros) return 'never';
  return Math.max(0, Math.round((Date.now() - micros / 1000) / 1000)) + ' s ago';
}

function verifyRow(t) {
  const row = document.createElement('tr');
  row.appendChild(el('td', t.table));
  row.appendChild(el('td', t.state, 'verify-' + t.state));
  row.appendChild(el('td', ago(t.checked_at_micros)));
  const details = t.state === 'unknown' ? t.reason : t.differences.map(d =>
      'chunk ' + d.chunk + ' of ' + d.chunks + ' (' + d.range + ') on ' + d.slaves.join(', ')).join('; ');
  row.appendChild(el('td', details));
  const cell = document.createElement('td');
  if (t.state === 'differs') {
    const button = el('button', 'Repair');
    button.type = 'button';
    button.addEventListener('click', () => repairTable(t.table, button));
    cell.appendChild(button);
  }
  row.appendChild(cell);
  return row;
}

async function refreshVerify() {
  const { status, body } = await api('/api/verify');
  if (status !== 200) return;
  let text = body.interval_seconds ? 'continuous mode: a pass every ' + body.interval_seconds + ' s, at most ' +
      body.busy_percent + '% of the time' : 'continuous mode off (verify_interval_seconds = 0)';
  text += ' · ' + body.passes_completed + ' pass(es) done, last ' + ago(body.last_pass_completed_micros);
  if (body.running) text += ' · checking ' + (body.current_table || 'the table list') + ' now';
  if (body.last_error) text += ' · last pass failed: ' + body.last_error;
  $('verify-progress').textContent = text;
  $('verify').querySelector('tbody').replaceChildren(...body.tables.map(verifyRow));
}

async function postVerify(path, payload, button) {
  button.disabled = true;
  $('verify-message').replaceChildren(el('div', 'working…', 'hint'));
  try {
    const { status, body } = await api(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const ok = status >= 200 && status < 300;
    const text = body.error || body.note || (body.table + ': rewrote ' + body.chunks_rewritten + ' chunk(s), ' +
        body.rows_rewritten + ' row(s); ' + (body.all_equal ? 'all nodes equal' : 'nodes still differ'));
    $('verify-message').replaceChildren(el('div', text, ok ? 'hint' : 'error'));
    await refreshVerify();
  } catch (e) {
    if (!forgetTokenIfRefused(e)) $('verify-message').replaceChildren(el('div', 'request failed: ' + e.message, 'error'));
  } finally {
    button.disabled = false;
  }
}

function repairTable(table, button) { return postVerify('/api/repair', { table }, button); }

// A refused token is dropped and asked for again. Returns whether it was that.
function forgetTokenIfRefused(error) {
  if (!(error instanceof Unauthorized)) return false;
  sessionStorage.removeItem(TOKEN_KEY);
  stopPolling();
  showTokenPanel(error.message);
  return true;
}

async function poll() {
  try {
    const { status, body } = await api('/api/status');
    if (status !== 200) throw new Error(body.error || ('HTTP ' + status));
    if (!body.master) {
      // A slave's status: this node handed the master role over (or was replaced).
      stopPolling();
      setConnection('this node is a slave now', 'bad');
      return;
    }
    showDashboard();
    setConnection('live', 'ok');
    renderNodes(body);
    renderEpochs(body);
    recordLag(body);
    drawChart();
    await refreshLog(body.master.last_seq);
    if (polls % VERIFY_EVERY === 0) await refreshVerify();
    if (polls++ % CONFIG_EVERY === 0) await refreshConfig();
  } catch (e) {
    if (!forgetTokenIfRefused(e)) setConnection('master unreachable: ' + e.message, 'bad');
  }
}

function startPolling() {
  stopPolling();
  poll();
  pollTimer = setInterval(poll, POLL_MS);
}

function stopPolling() {
  if (pollTimer !== null) clearInterval(pollTimer);
  pollTimer = null;
}

// A result set's rows as a table.
function resultTable(result) {
  const table = document.createElement('table');
  table.className = 'result-table';
  const head = document.createElement('tr');
  for (const c of result.columns) head.appendChild(el('th', c));
  const thead = document.createElement('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const tbody = document.createElement('tbody');
  for (const r of result.rows) {
    const row = document.createElement('tr');
    for (const v of r) row.appendChild(v === null ? el('td', 'NULL', 'null') : el('td', v));
    tbody.appendChild(row);
  }
  table.appendChild(tbody);
  return table;
}

function rowCount(result) {
  return result.row_count + ' row(s)' + (result.truncated ? ' (first shown)' : '');
}

function renderResult(result) {
  const box = el('div', null, 'result');
  box.appendChild(el('div', result.sql, 'statement'));
  if (!result.ok) {
    box.appendChild(el('div', result.error, 'error'));
    return box;
  }
  // A CALL may answer several result sets (more_results): each table has
  // its count under it, the last one with the timing.
  const sets = [result, ...(result.more_results || [])].filter((r) => r.has_result_set);
  sets.forEach((set, i) => {
    box.appendChild(resultTable(set));
    if (i < sets.length - 1) box.appendChild(el('div', rowCount(set), 'summary'));
  });
  let summary = sets.length > 0 ? rowCount(sets[sets.length - 1])
                                : (result.info || ('Query OK, ' + result.affected_rows + ' row(s) affected'));
  summary += ' · ' + result.elapsed_ms.toFixed(1) + ' ms';
  if (result.answered_by) summary += ' · answered by ' + result.answered_by;
  box.appendChild(el('div', summary, 'summary'));
  for (const w of result.warnings || []) box.appendChild(el('div', 'Warning: ' + w, 'error'));
  return box;
}

async function runSql(event) {
  event.preventDefault();
  const button = $('run');
  button.disabled = true;
  const out = $('results');
  out.replaceChildren(el('div', 'running…', 'hint'));
  try {
    const { body } = await api('/api/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: $('sql').value, database: $('database').value.trim() }),
    });
    const nodes = (body.results || []).map(renderResult);
    if (body.error) nodes.push(el('div', body.error, 'error'));
    if (body.note) nodes.push(el('div', body.note, 'hint'));
    out.replaceChildren(...nodes);
    lastLogSeq = -1;  // show the new records at the next poll
  } catch (e) {
    if (!forgetTokenIfRefused(e)) out.replaceChildren(el('div', 'request failed: ' + e.message, 'error'));
  } finally {
    button.disabled = false;
  }
}

function init() {
  $('token-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    startPolling();
  });
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    stopPolling();
    showTokenPanel('');
  });
  $('sql-form').addEventListener('submit', runSql);
  $('verify-now').addEventListener('click', () => postVerify('/api/verify', {}, $('verify-now')));
  if (token()) startPolling(); else showTokenPanel('');
}

document.addEventListener('DOMContentLoaded', init);
