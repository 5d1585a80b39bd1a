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
import { districtPrinter, relabelDistrictPrinter } from './editor_print.js';

// The view's words, in the page's table (i18n.js) under ed_ keys, so a
// language change relabels the built form through data-i18n (renderAll's
// i18n.apply) and render() redraws what is written from data.
i18n.addWords({
  ja: {
    ed_title: '地域資源の編集',
    ed_search: '名前・種類・分野・対象で探す', ed_add: '新しい資源', ed_save: '保存', ed_retire: '廃止', ed_history: '変更履歴',
    ed_saved: '保存しました（版 {v}）', ed_added: '追加しました（ID {id}）', ed_retired: '廃止しました',
    ed_conflict: '他の人が先に変更しました（いまは版 {v}）。読み込み直してから変更してください。',
    ed_confirm_retire: '「{name}」を廃止しますか？ 記録と履歴は残ります。', ed_click_map: '地図をクリックすると位置を置けます',
    ed_none: '該当なし', ed_at: '{at} {who} {action}: {fields}',
    ed_f_name: '名称', ed_f_kind: '種類', ed_f_fields: '分野（; で区切る）', ed_f_target: '対象', ed_f_hub_type: '拠点の種別',
    ed_f_address: '住所', ed_f_schedule: '開いている日時', ed_f_contact: '連絡先（電話）', ed_f_operator: '運営',
    ed_f_url: 'ウェブサイト', ed_f_languages: '対応言語（; で区切る）', ed_f_barrier_free: 'バリアフリー', ed_f_cost: '費用',
    ed_f_notes: '備考', ed_f_lon: '経度', ed_f_lat: '緯度',
  },
  en: {
    ed_title: 'Edit local resources',
    ed_search: 'Search name, kind, field, target', ed_add: 'New resource', ed_save: 'Save', ed_retire: 'Retire', ed_history: 'History',
    ed_saved: 'Saved (version {v})', ed_added: 'Added (id {id})', ed_retired: 'Retired',
    ed_conflict: 'Someone else changed it first (now version {v}). Reload it, then make your change.',
    ed_confirm_retire: 'Retire "{name}"? Its record and history stay.', ed_click_map: 'Click the map to place the point',
    ed_none: 'nothing found', ed_at: '{at} {who} {action}: {fields}',
    ed_f_name: 'Name', ed_f_kind: 'Kind', ed_f_fields: 'Fields (separated by ;)', ed_f_target: 'Target',
    ed_f_hub_type: 'Hub type', ed_f_address: 'Address', ed_f_schedule: 'Opening hours', ed_f_contact: 'Contact (phone)',
    ed_f_operator: 'Operator', ed_f_url: 'Website', ed_f_languages: 'Languages (separated by ;)',
    ed_f_barrier_free: 'Barrier-free', ed_f_cost: 'Cost', ed_f_notes: 'Notes', ed_f_lon: 'Longitude', ed_f_lat: 'Latitude',
  },
});
const w = (key, vars = {}) => i18n.t(`ed_${key}`, vars);

// The form's fields, in the API's names; lists are written "a;b".
const FIELDS = ['name', 'kind', 'fields', 'target', 'hub_type', 'address', 'schedule', 'contact',
  'operator', 'url', 'languages', 'barrier_free', 'cost', 'notes', 'lon', 'lat'];

export function editorView(ctx) {
  const { state, mv, status } = ctx;
  const $ = (id) => document.getElementById(id);
  let current = null; // the record as loaded (its version is the If-Match)
  let said = null;    // the status line's message of the page's own: {key, vars, error}

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
    setVersion(rec);
    fill('editor-history-list');
  }

  function setVersion(rec) {
    $('editor-version').textContent = rec ? `ID ${rec.id} · v${rec.version}${rec.retired ? ` · ${w('retired')}` : ''}` : w('click_map');
  }

  // The status line: a message of the page's own (key of w(), said again
  // in the other language on a switch) or, with raw set, the server's
  // sentence as it came; '' clears it.
  function say(key, vars = {}, error = false, raw = false) {
    said = key && !raw ? { key, vars, error } : null;
    status('editor-status', raw ? key : key ? w(key, vars) : '', error);
  }

  async function load(id) {
    try {
      current = await api(`api/resources/${encodeURIComponent(id)}`);
      setForm(current);
      say('');
    } catch (err) { say(err.message, {}, true, true); }
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
      say('conflict', { v: r.doc.current.version }, true);
      $('editor-status').dataset.conflict = '1';
      return;
    }
    delete $('editor-status').dataset.conflict;
    if (r.status >= 400) { say(r.doc.error, {}, true, true); return; }
    const added = !current;
    current = r.doc;
    setForm(current);
    if (added) say('added', { id: current.id }); else say('saved', { v: current.version });
    await refresh();
  }

  async function retire() {
    if (!current || !window.confirm(w('confirm_retire', { name: current.name }))) return;
    const r = await send('DELETE', `api/resources/${encodeURIComponent(current.id)}`);
    if (r.status === 409 && r.doc.current) { say('conflict', { v: r.doc.current.version }, true); return; }
    if (r.status >= 400) { say(r.doc.error, {}, true, true); return; }
    current = r.doc;
    setForm(current);
    say('retired');
    await refresh();
  }

  async function history() {
    if (!current) return;
    try {
      const h = await api(`api/resources/${encodeURIComponent(current.id)}/history`);
      fill('editor-history-list', h.history.slice().reverse().map((x) => el('li', {},
        w('at', { at: x.at, who: x.who, action: x.action, fields: x.fields.join(', ') }))));
    } catch (err) { say(err.message, {}, true, true); }
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

  // The view's controls, built once (the page's HTML holds only the
  // section); their words carry data-i18n keys, so renderAll's
  // i18n.apply() relabels them on a language change.
  fill('view-editor',
    el('h2', { 'data-i18n': 'ed_title' }, w('title')),
    el('input', { type: 'search', id: 'editor-search', placeholder: w('search'), 'aria-label': w('search'),
      'data-i18n-placeholder': 'ed_search', 'data-i18n-label': 'ed_search' }),
    el('ul', { id: 'editor-list', class: 'editor-list' }),
    el('button', { type: 'button', id: 'editor-new', 'data-i18n': 'ed_add' }, w('add')),
    el('form', { id: 'editor-form', class: 'form' },
      el('div', { id: 'editor-version', class: 'small' }),
      addressPlacer((lonlat) => place(lonlat)),
      // Each field's label in words, with the API's (and the import file's) name as its title.
      FIELDS.map((f) => el('label', { class: 'row', for: `ed-${f}`, title: f }, el('span', { 'data-i18n': `ed_f_${f}` }, w(`f_${f}`)),
        f === 'notes' ? el('textarea', { id: `ed-${f}`, rows: 2 }) : el('input', { id: `ed-${f}`, type: 'text' }))),
      el('button', { type: 'submit', id: 'editor-save', 'data-i18n': 'ed_save' }, w('save')),
      el('button', { type: 'button', id: 'editor-retire', 'data-i18n': 'ed_retire' }, w('retire')),
      el('button', { type: 'button', id: 'editor-history', 'data-i18n': 'ed_history' }, w('history'))),
    el('div', { id: 'editor-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('ul', { id: 'editor-history-list', class: 'small' }),
    districtPrinter(state));
  $('editor-search').addEventListener('input', renderList);
  $('editor-new').addEventListener('click', () => { current = null; setForm(null); say(''); });
  $('editor-form').addEventListener('submit', save);
  $('editor-retire').addEventListener('click', retire);
  $('editor-history').addEventListener('click', history);
  setForm(null);
  renderList();

  return {
    show(on) { if (on) renderList(); },
    // The language changed: the list's kinds, the version line and the
    // last message in the new language (the static words: data-i18n).
    render() {
      renderList();
      setVersion(current);
      relabelDistrictPrinter(state);
      if (said) say(said.key, said.vars, said.error);
    },
    walkingChanged() {},
    click(lonlat) { place(lonlat); },
  };
}
