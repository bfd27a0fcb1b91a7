// captiond review station: a few lines of plain JS over the JSON API (no build chain, no CDN).
// Live updates poll /api every 2 s: the state is read from the folders on each request anyway, and a
// poll survives proxies, sleeping phones and restarts without reconnect logic (SSE would hold one of
// the browser's six connections per host for every open tab).
(function () {
  'use strict';
  const meta = (name) => { const m = document.querySelector('meta[name="' + name + '"]'); return m ? m.content : null; };
  const body = document.body;
  const page = body.dataset.page;

  async function api(method, url, data, type) {
    const headers = {};
    if (meta('csrf-header')) headers[meta('csrf-header')] = meta('csrf-token');
    let payload = data;
    if (type === 'json') { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(data); }
    if (type === 'text') { headers['Content-Type'] = 'text/plain;charset=UTF-8'; }
    const response = await fetch(url, { method: method, headers: headers, body: payload, credentials: 'same-origin' });
    const text = await response.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch (e) { /* text/plain answers */ }
    if (!response.ok) throw new Error((parsed && parsed.error) || response.status + ' ' + response.statusText);
    return parsed;
  }
  const enc = encodeURIComponent;

  function eta(seconds) {
    if (seconds === null || seconds === undefined || seconds === '') return 'unknown yet';
    seconds = Number(seconds);
    if (seconds === 0) return '—';
    if (seconds < 90) return seconds + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }
  document.querySelectorAll('[data-field="eta"]').forEach((el) => { el.textContent = eta(el.textContent.trim()); });

  function fill(root, d) {
    const set = (field, value) => { const el = root.querySelector('[data-field="' + field + '"]'); if (el) el.textContent = value; };
    set('trigger', d.trigger || '');
    set('inbox', d.counts.inbox); set('members', d.counts.members);
    set('captioned', d.counts.captioned); set('quarantined', d.counts.quarantined);
    set('eta', eta(d.etaSeconds)); set('problem', d.problem || '');
    const state = root.querySelector('.state');
    if (state) { state.textContent = d.state; state.className = 'state ' + d.state; }
  }

  // ---- overview: datasets and captioner, live
  async function refreshOverview() {
    const [datasets, provider] = await Promise.all([api('GET', '/api/datasets'), api('GET', '/api/provider')]);
    const tbody = document.querySelector('#datasets tbody');
    const rows = new Map([...tbody.querySelectorAll('tr')].map((r) => [r.dataset.dataset, r]));
    datasets.forEach((d) => {
      let row = rows.get(d.name);
      if (!row) {
        row = document.createElement('tr');
        row.dataset.dataset = d.name;
        const link = document.createElement('a');
        link.href = '/datasets/' + enc(d.name);
        link.textContent = d.name;
        const cells = ['', 'trigger', 'state', 'inbox', 'members', 'captioned', 'quarantined', 'eta'].map((f) => {
          const td = document.createElement('td');
          if (f) td.dataset.field = f;
          return td;
        });
        cells[0].appendChild(link);
        const state = document.createElement('span'); state.className = 'state';
        const problem = document.createElement('small'); problem.dataset.field = 'problem';
        cells[2].removeAttribute('data-field'); cells[2].append(state, ' ', problem);
        row.append(...cells);
        tbody.appendChild(row);
        const none = document.getElementById('no-datasets'); if (none) none.remove();
      }
      fill(row, d);
    });
    const p = document.getElementById('provider');
    const set = (field, value) => { const el = p.querySelector('[data-field="' + field + '"]'); if (el) el.textContent = value; };
    set('model', provider.model);
    set('rate', provider.requestsPerMinute == null ? 'offline, no rate limit' : provider.requestsPerMinute.toFixed(1) + ' requests/min allowed now');
    set('requests', provider.requests + ' requests, ' + provider.throttled + ' throttled (429)');
    set('latency', provider.latencyMs == null ? 'no latency measured yet' : Math.round(provider.latencyMs) + ' ms per caption');
    const pause = p.querySelector('[data-field="pause"]');
    pause.hidden = !provider.pausedUntil;
    pause.textContent = provider.pausedUntil ? 'paused until ' + provider.pausedUntil + ' because ' + provider.pauseReason : '';
  }

  // ---- dataset page: header, live
  async function refreshDataset() {
    const head = document.getElementById('summary');
    const d = await api('GET', '/api/datasets/' + enc(head.dataset.dataset));
    fill(head, d);
  }

  function poll(fn) {
    const tick = () => fn().catch(() => {}).finally(() => setTimeout(tick, 2000));
    setTimeout(tick, 2000);
  }
  if (page === 'overview') poll(refreshOverview);
  if (page === 'dataset') poll(refreshDataset);

  // ---- upload (drag and drop, or the file picker)
  const upload = document.getElementById('upload');
  if (upload) {
    const input = document.getElementById('upload-files');
    const result = document.getElementById('upload-result');
    const drop = document.getElementById('drop');
    const send = async (files) => {
      const name = document.getElementById('upload-dataset').value.trim();
      if (!name || !files.length) { result.textContent = 'Choose a dataset name and some photos.'; return; }
      const form = new FormData();
      [...files].forEach((f) => form.append('file', f, f.name));
      result.textContent = 'Uploading ' + files.length + ' file(s)…';
      try {
        const taken = await api('POST', '/api/datasets/' + enc(name) + '/files', form);
        result.textContent = 'Taken into inbox/' + name + '/: ' + taken.join(', ');
        input.value = '';
        if (page === 'overview') refreshOverview().catch(() => {});
      } catch (e) { result.textContent = 'Upload refused: ' + e.message; }
    };
    upload.addEventListener('submit', (e) => { e.preventDefault(); send(input.files); });
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); send(e.dataTransfer.files); });
  }

  if (page !== 'dataset') return;
  const dataset = body.dataset.dataset;
  const base = '/api/datasets/' + enc(dataset);

  // ---- captions: save, undo, counts, keyboard
  const words = (t) => (t.trim() ? t.trim().split(/\s+/).length : 0);
  const tokens = (t) => 2 + (t.match(/\p{L}+|\p{N}|[^\s\p{L}\p{N}]/gu) || [])
    .reduce((n, piece) => n + (/^\p{L}/u.test(piece) && piece.length > 7 ? 1 + Math.floor((piece.length - 3) / 5) : 1), 0);
  const cards = () => [...document.querySelectorAll('#sheet .card')];
  function show(card, text, by) {
    const area = card.querySelector('.caption');
    area.value = text; area.dataset.saved = text;
    if (by) card.querySelector('.by').textContent = by;
    card.querySelector('.words').textContent = words(text);
    const t = tokens(text);
    card.querySelector('.tokens').textContent = t;
    card.classList.toggle('long', t > 77);
  }
  async function save(card) {
    const status = card.querySelector('.status');
    try {
      const saved = await api('PUT', base + '/members/' + enc(card.dataset.file) + '/caption', card.querySelector('.caption').value, 'text');
      show(card, saved, 'user');
      status.textContent = 'saved';
    } catch (e) { status.textContent = e.message; }
  }
  cards().forEach((card) => {
    const area = card.querySelector('.caption');
    area.dataset.saved = area.value;
    area.addEventListener('input', () => {
      card.querySelector('.words').textContent = words(area.value);
      card.querySelector('.tokens').textContent = tokens(area.value);
      card.querySelector('.status').textContent = area.value === area.dataset.saved ? '' : 'not saved';
    });
    card.querySelector('.save').addEventListener('click', () => save(card));
    card.querySelector('.undo').addEventListener('click', async () => {
      try { show(card, await api('POST', base + '/members/' + enc(card.dataset.file) + '/caption/undo'), null);
        card.querySelector('.status').textContent = 'undone'; } catch (e) { card.querySelector('.status').textContent = e.message; }
    });
  });
  document.addEventListener('keydown', (e) => {
    const all = cards();
    const current = e.target.closest ? e.target.closest('.card') : null;
    const at = current ? all.indexOf(current) : -1;
    const focus = (i) => { if (all[i]) { all[i].querySelector('.caption').focus(); all[i].scrollIntoView({ block: 'center' }); } };
    if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) { e.preventDefault(); focus(at + (e.key === 'ArrowDown' ? 1 : -1)); }
    else if (current && e.ctrlKey && e.key === 'Enter') { e.preventDefault(); save(current).then(() => focus(at + 1)); }
    else if (current && e.key === 'Escape') { const a = current.querySelector('.caption'); a.value = a.dataset.saved; }
  });

  // ---- find / replace with preview
  const replace = document.getElementById('replace');
  const applyButton = document.getElementById('replace-apply');
  const request = (apply) => ({ find: document.getElementById('replace-find').value, with: document.getElementById('replace-with').value,
    regex: document.getElementById('replace-regex').checked, apply: apply });
  function listChanges(changes, done) {
    const tbody = document.querySelector('#replace-changes tbody');
    tbody.replaceChildren();
    const head = document.createElement('tr');
    const th = document.createElement('th'); th.colSpan = 3;
    th.textContent = (done ? 'Changed ' : 'Would change ') + changes.length + ' caption(s)';
    head.appendChild(th); tbody.appendChild(head);
    changes.forEach((c) => {
      const row = document.createElement('tr'); row.dataset.file = c.file;
      [c.file, c.before, c.after].forEach((t, i) => { const td = document.createElement('td'); td.textContent = t; if (i) td.className = i === 1 ? 'before' : 'after'; row.appendChild(td); });
      tbody.appendChild(row);
    });
  }
  replace.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { const changes = await api('POST', base + '/replace', request(false), 'json'); listChanges(changes, false); applyButton.disabled = !changes.length; }
    catch (err) { listChanges([], false); document.querySelector('#replace-changes th').textContent = err.message; }
  });
  applyButton.addEventListener('click', async () => {
    const changes = await api('POST', base + '/replace', request(true), 'json');
    listChanges(changes, true);
    applyButton.disabled = true;
    changes.forEach((c) => { const card = document.querySelector('#sheet .card[data-file="' + CSS.escape(c.file) + '"]'); if (card) show(card, c.after, 'user'); });
  });

  // ---- bulk: re-caption (cost first), exclude, restore
  const selected = () => cards().filter((c) => c.querySelector('.select').checked).map((c) => c.dataset.file);
  const bulk = document.getElementById('bulk-result');
  document.getElementById('recaption').addEventListener('click', async () => {
    const files = selected();
    if (!files.length) { bulk.textContent = 'Select images first.'; return; }
    const paid = body.dataset.paid === 'true' ? files.length : 0;
    if (!window.confirm('Re-caption ' + files.length + ' image(s): ' + paid + ' paid request(s). The current captions stay in their history.')) return;
    const r = await api('POST', base + '/recaption', { files: files }, 'json');
    bulk.textContent = r.queued.length + ' image(s) queued for a new caption (' + r.paidRequests + ' paid requests).';
  });
  document.getElementById('exclude').addEventListener('click', async () => {
    const files = selected();
    for (const f of files) {
      await api('POST', base + '/members/' + enc(f) + '/exclude');
      const card = document.querySelector('#sheet .card[data-file="' + CSS.escape(f) + '"]'); if (card) card.remove();
    }
    bulk.textContent = files.length + ' member(s) excluded; restore them below after a reload.';
  });
  document.querySelectorAll('#excluded .restore').forEach((b) => b.addEventListener('click', async () => {
    const li = b.closest('li');
    await api('POST', base + '/excluded/' + enc(li.dataset.file) + '/restore');
    li.remove();
  }));
})();
