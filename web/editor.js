// SPDX-License-Identifier: MIT
// editor.js - 地域資源の編集: the resource register for a signed-in editor or
// admin (role permission "register"). A searchable list (name, kind, fields,
// target), a form for every field the API takes, the point placed by
// clicking the map or by address (editor_place.js), save with If-Match (the version the form was loaded
// at: a change someone made meanwhile is refused with 409 and the page says
// so, keeping the editor's text), retire after a confirmation, and the
// history of the resource, and a district's list printed on A4
// (editor_print.js). The server validates every field (one sentence
// per refusal, shown as it comes). Entry point: editorView(ctx).

import { api, PAGE_HEADER } from './api.js';
import { el, fill } from './dom.js';
import * as i18n from './i18n.js';
import { addressPlacer } from './editor_place.js';
import { districtPrinter } from './editor_print.js';

const words = {
  ja: {
    search: '名前・種類・分野・対象で探す', add: '新しい資源', save: '保存', retire: '廃止', history: '変更履歴',
    saved: '保存しました（版 {v}）', added: '追加しました（ID {id}）', retired: '廃止しました',
    conflict: '他の人が先に変更しました（いまは版 {v}）。読み込み直してから変更してください。',
    confirm_retire: '「{name}」を廃止しますか？ 記録と履歴は残ります。', click_map: '地図をクリックすると位置を置けます',
    reload: '読み込み直す', none: '該当なし', at: '{at} {who} {action}: {fields}',
    f_name: '名称', f_kind: '種類', f_fields: '分野（; で区切る）', f_target: '対象', f_hub_type: '拠点の種別',
    f_address: '住所', f_schedule: '開いている日時', f_contact: '連絡先（電話）', f_operator: '運営',
    f_url: 'ウェブサイト', f_languages: '対応言語（; で区切る）', f_barrier_free: 'バリアフリー', f_cost: '費用',
    f_notes: '備考', f_lon: '経度', f_lat: '緯度',
  },
  en: {
    search: 'Search name, kind, field, target', add: 'New resource', save: 'Save', retire: 'Retire', history: 'History',
    saved: 'Saved (version {v})', added: 'Added (id {id})', retired: 'Retired',
    conflict: 'Someone else changed it first (now version {v}). Reload it, then make your change.',
    confirm_retire: 'Retire "{name}"? Its record and history stay.', click_map: 'Click the map to place the point',
    reload: 'Reload', none: 'nothing found', at: '{at} {who} {action}: {fields}',
    f_name: 'Name', f_kind: 'Kind', f_fields: 'Fields (separated by ;)', f_target: 'Target',
    f_hub_type: 'Hub type', f_address: 'Address', f_schedule: 'Opening hours', f_contact: 'Contact (phone)',
    f_operator: 'Operator', f_url: 'Website', f_languages: 'Languages (separated by ;)',
    f_barrier_free: 'Barrier-free', f_cost: 'Cost', f_notes: 'Notes', f_lon: 'Longitude', f_lat: 'Latitude',
  },
};
const w = (key, vars = {}) => (words[i18n.getLang()] || words.ja)[key]
  .replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

// The form's fields, in the API's names; lists are written "a;b".
const FIELDS = ['name', 'kind', 'fields', 'target', 'hub_type', 'address', 'schedule', 'contact',
  'operator', 'url', 'languages', 'barrier_free', 'cost', 'notes', 'lon', 'lat'];

export function editorView(ctx) {
  const { state, mv, status } = ctx;
  const $ = (id) => document.getElementById(id);
  let current = null; // the record as loaded (its version is the If-Match)

  function matches(r, q) {
    if (!q) return true;
    return [r.name, r.kind, r.fields, r.target, r.id].some((v) => (v || '').toLowerCase().includes(q));
  }

  function renderList() {
    const q = $('editor-search').value.trim().toLowerCase();
    const rows = state.resources.filter((r) => matches(r, q)).slice(0, 200);
    fill('editor-list', rows.length ? rows.map((r) => el('li', {},
      el('button', { type: 'button', class: 'link', 'data-id': r.id }, r.name),
      el('span', { class: 'small' }, ` ${i18n.kindLabel(r.kind)} · ${r.target || ''}`))) : el('li', {}, w('none')));
    for (const b of $('editor-list').querySelectorAll('button[data-id]')) b.addEventListener('click', () => load(b.dataset.id));
  }

  function setForm(rec) {
    for (const f of FIELDS) {
      const v = rec ? rec[f] : null;
      $(`ed-${f}`).value = v === null || v === undefined ? '' : String(v);
    }
    $('editor-retire').disabled = !rec || !!rec.retired;
    $('editor-history').disabled = !rec;
    $('editor-version').textContent = rec ? `ID ${rec.id} · v${rec.version}${rec.retired ? ` · ${w('retired')}` : ''}` : w('click_map');
    fill('editor-history-list');
  }

  async function load(id) {
    try {
      current = await api(`api/resources/${encodeURIComponent(id)}`);
      setForm(current);
      status('editor-status', '');
    } catch (err) { status('editor-status', err.message, true); }
  }

  // The body: every field that differs from the loaded record ("" = null).
  function body() {
    const doc = {};
    for (const f of FIELDS) {
      const raw = $(`ed-${f}`).value.trim();
      const v = raw === '' ? null : (f === 'lon' || f === 'lat') ? Number(raw) : raw;
      const was = current ? current[f] : null;
      if (!current || String(v ?? '') !== String(was ?? '')) doc[f] = v;
    }
    if (!current) for (const k of Object.keys(doc)) if (doc[k] === null) delete doc[k];
    return doc;
  }

  async function send(method, path, doc) {
    const headers = { 'Content-Type': 'application/json' };
    if (current && method !== 'POST') headers['If-Match'] = `"${current.version}"`;
    const res = await fetch(path, {
      method, credentials: 'same-origin', headers: { ...headers, [PAGE_HEADER]: '1' },
      body: doc ? JSON.stringify(doc) : undefined,
    });
    return { status: res.status, doc: await res.json() };
  }

  async function save(ev) {
    ev.preventDefault();
    const r = current ? await send('PATCH', `api/resources/${encodeURIComponent(current.id)}`, body())
      : await send('POST', 'api/resources', body());
    if (r.status === 409 && r.doc.current) {
      status('editor-status', w('conflict', { v: r.doc.current.version }), true);
      $('editor-status').dataset.conflict = '1';
      return;
    }
    delete $('editor-status').dataset.conflict;
    if (r.status >= 400) { status('editor-status', r.doc.error, true); return; }
    const added = !current;
    current = r.doc;
    setForm(current);
    status('editor-status', added ? w('added', { id: current.id }) : w('saved', { v: current.version }));
    await refresh();
  }

  async function retire() {
    if (!current || !window.confirm(w('confirm_retire', { name: current.name }))) return;
    const r = await send('DELETE', `api/resources/${encodeURIComponent(current.id)}`);
    if (r.status === 409 && r.doc.current) { status('editor-status', w('conflict', { v: r.doc.current.version }), true); return; }
    if (r.status >= 400) { status('editor-status', r.doc.error, true); return; }
    current = r.doc;
    setForm(current);
    status('editor-status', w('retired'));
    await refresh();
  }

  async function history() {
    if (!current) return;
    try {
      const h = await api(`api/resources/${encodeURIComponent(current.id)}/history`);
      fill('editor-history-list', h.history.slice().reverse().map((x) => el('li', {},
        w('at', { at: x.at, who: x.who, action: x.action, fields: x.fields.join(', ') }))));
    } catch (err) { status('editor-status', err.message, true); }
  }

  // Puts the form's point at lonlat (a map click or an address) and shows it.
  function place(lonlat) {
    $('ed-lon').value = lonlat[0].toFixed(7);
    $('ed-lat').value = lonlat[1].toFixed(7);
    mv.setOrigin(lonlat);
    if (!mv.map.getBounds().contains(lonlat)) mv.map.jumpTo({ center: lonlat });
  }

  // The public list again, so the map, the list and the other views agree.
  async function refresh() {
    ({ resources: state.resources } = await api('api/resources'));
    renderList();
  }

  // The view's controls, built once (the page's HTML holds only the section).
  fill('view-editor',
    el('h2', {}, i18n.getLang() === 'en' ? 'Edit local resources' : '地域資源の編集'),
    el('input', { type: 'search', id: 'editor-search', placeholder: w('search'), 'aria-label': w('search') }),
    el('ul', { id: 'editor-list', class: 'editor-list' }),
    el('button', { type: 'button', id: 'editor-new' }, w('add')),
    el('form', { id: 'editor-form', class: 'form' },
      el('div', { id: 'editor-version', class: 'small' }),
      addressPlacer((lonlat) => place(lonlat)),
      // Each field's label in words, with the API's (and the import file's) name as its title.
      FIELDS.map((f) => el('label', { class: 'row', for: `ed-${f}`, title: f }, el('span', {}, w(`f_${f}`)),
        f === 'notes' ? el('textarea', { id: `ed-${f}`, rows: 2 }) : el('input', { id: `ed-${f}`, type: 'text' }))),
      el('button', { type: 'submit', id: 'editor-save' }, w('save')),
      el('button', { type: 'button', id: 'editor-retire' }, w('retire')),
      el('button', { type: 'button', id: 'editor-history' }, w('history'))),
    el('div', { id: 'editor-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('ul', { id: 'editor-history-list', class: 'small' }),
    districtPrinter(state));
  $('editor-search').addEventListener('input', renderList);
  $('editor-new').addEventListener('click', () => { current = null; setForm(null); status('editor-status', ''); });
  $('editor-form').addEventListener('submit', save);
  $('editor-retire').addEventListener('click', retire);
  $('editor-history').addEventListener('click', history);
  setForm(null);
  renderList();

  return {
    show(on) { if (on) renderList(); },
    render() {},
    walkingChanged() {},
    click(lonlat) { place(lonlat); },
  };
}
