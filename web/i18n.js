// SPDX-License-Identifier: MIT
// i18n.js - the page's words in Japanese (first) and English, and the
// labels of tsunagu's vocabularies (kinds, fields, need tags). t(key, vars)
// looks a key up in the current language; apply(root) fills every element
// carrying data-i18n (text), data-i18n-label (aria-label) or
// data-i18n-title (title) or data-i18n-placeholder (placeholder);
// addWords(table) adds the words of another part of the page.

const words = {
  ja: {
    title: 'つなぐ地図',
    subtitle: '地域の支えを歩いて探す（架空の町のデモ）',
    lang_toggle: 'English',
    lang_toggle_label: '英語に切り替える',
    print: '印刷',
    views: '表示の切り替え',
    tab_reach: '徒歩圏の資源',
    tab_coverage: 'カバー率・新拠点',
    tab_route: '訪問ルート',
    tab_editor: '地域資源の編集',
    walking: '歩く条件',
    minutes: '時間',
    minutes_value: '{m}分',
    speed: '歩く速さ',
    speed_general: '一般（80 m/分）',
    speed_slow: 'ゆっくり（60 m/分）',
    speed_elderly: '高齢・杖（45 m/分）',
    speed_custom: '指定',
    speed_custom_label: '速さ（m/分、10〜150）',
    reach_hint: '地図上の場所をクリックすると、そこから歩いて行ける範囲と、範囲内の地域資源を表示します。',
    reach_here: '地図の中心から調べる',
    reach_none: '{m}分以内に行ける資源はありません（表示中の種類・分野）。',
    reach_head: '{from}から{m}分（{s} m/分）で行ける資源：{n}件',
    reach_from: '選んだ地点',
    snapped: '最寄りの道まで {d} m',
    col_min: '徒歩',
    col_name: '名称',
    col_kind: '種類',
    col_fields: '分野',
    col_open: '開いている日時',
    min_value: '{v}分',
    loading: '計算中…',
    coverage_hint: '選んだ種類の資源まで{m}分以内に歩いて行ける世帯の割合を、区域ごとに色分けします。区域にマウスを重ねるかクリックすると数字が出ます。',
    kind: '種類',
    level: '区域の単位',
    run_coverage: 'カバー率を計算',
    cov_head: '{kind}・徒歩{m}分（{s} m/分）',
    cov_code: 'コード',
    cov_district: '区域',
    cov_households: '世帯',
    cov_covered: '届く世帯',
    cov_share: '割合',
    cov_median: '中央値',
    cov_worst: '最長',
    cov_total: '全体',
    cov_residents: '人口（届く人口）',
    cov_off: '道から遠い世帯',
    cov_suppressed: '<5：5世帯未満の数字は出しません。–：そこから差し引きで分かってしまう数字も出しません（個人が特定されないように）。',
    cov_popup: '{name}：{c}/{h}世帯（{p}）、最寄りまで中央値{med}・最長{max}',
    unreachable: '到達不可',
    suggest_title: '新しい拠点の候補',
    sites: '拠点の数',
    candidates: '候補',
    candidates_layer: '候補地（学校・公共施設など）',
    candidates_nodes: '道路上のどこでも',
    run_suggest: '候補を探す',
    suggest_before: '今は{c}/{h}世帯（{p}）に届いています。',
    suggest_pick: '{name}：+{add}世帯 → {p}',
    suggest_node: '道路上の地点 {node}',
    suggest_none: 'どの候補を加えても、届く世帯は増えません。',
    route_private: '要配慮個人情報',
    route_warning: 'この画面は訪問先世帯の位置と訪問順を表示します。出るのはあなたの担当（機関・区域）の世帯だけで、表示するたびに誰がどの世帯を見たかが監査ログに残ります。画面の共有や印刷物の扱いに注意してください。世帯の座標は文字では表示せず、地図上の順路と訪問番号だけを示します。',
    sign_in: 'サインイン',
    sign_out: 'サインアウト',
    token_label: 'トークン',
    token_placeholder: 'トークン（tsu_…）',
    signed_in: '{name}（{role}）',
    signin_bad: 'トークンが正しくないか、取り消されています。',
    signin_hint: 'カバー率・新拠点（行政職員）と訪問ルート（コーディネーター・訪問担当）は、管理者が発行したトークンでサインインすると使えます。',
    role_admin: '管理者',
    role_official: '行政職員',
    role_coordinator: 'コーディネーター',
    role_outreach: '訪問担当',
    role_commissioner: '民生委員',
    role_editor: '資源の編集担当',
    share_head: '世帯の共有',
    share_id: '世帯ID（自機関の世帯）',
    share_agency: '共有先の機関',
    share_basis: '根拠',
    basis_meeting: '支援会議の決定',
    basis_consent: '本人の同意',
    basis_referral: '紹介',
    share_reason: '理由',
    share_until: '期限',
    share_from: '開始日',
    share_state: '状態',
    share_active: '有効',
    share_inactive: '無効',
    share_do: '共有する',
    share_show: '共有先を見る',
    share_remove: '共有を解除',
    share_list: '{id}の共有先',
    share_none: 'この世帯はどの機関とも共有されていません。',
    share_done: '{agency}と共有しました（共有{n}）。',
    share_removed: '{agency}との共有を解除しました。',
    district: '区域',
    need: '支援の必要（タグ）',
    need_any: 'すべての世帯',
    start: '出発地',
    start_clicked: '地図でクリックした地点',
    start_clicked_none: '地図でクリックした地点（まだ選ばれていません）',
    dwell: '1軒あたりの訪問（分）',
    day_minutes: '1日の時間（分、移動と訪問）',
    start_time: '開始時刻',
    run_route: 'ルートを作る',
    route_head: '{n}軒を{d}日で訪問、徒歩 合計{km} km（{s} m/分）',
    route_day: '{d}日目：{n}軒、{t0}〜{t1}、徒歩{km} km',
    route_back: '出発地に戻る {t}（徒歩{m}分）',
    route_stop: '{d}日目の{k}軒目',
    route_empty: '条件に合う世帯はありません。',
    route_left: 'ルートに入らなかった世帯：{n}軒（{why}）',
    route_need_start: '出発地を選ぶか、地図をクリックしてください。',
    why_off_network: '道から遠い',
    why_unreachable: '道がつながっていない',
    why_too_far: '1日では行って戻れない',
    col_order: '順',
    col_household: '世帯',
    col_arrive: '到着',
    col_leave: '出発',
    col_walk: '徒歩',
    layers: '地図に表示するもの',
    legend: '凡例',
    layer_districts: '区域',
    layer_resources: '地域資源の種類',
    kind_other: 'その他の種類',
    layer_fields: '分野（いずれかに当てはまる資源）',
    legend_coverage: 'カバー率（届く世帯の割合）',
    legend_suggest: '新しい拠点の候補（順位）',
    legend_reach: '歩いて行ける範囲',
    legend_route: '訪問ルート（日ごとの色、数字は訪問順）',
    legend_start: '出発地・調べた地点',
    map_label: '地図',
    error: 'エラー：{msg}',
    tiles_missing: '地図タイルがまだ使えないため、道路を表示せず区域と資源だけを表示しています。',
    no_walking: 'このデータベースには歩行ネットワークがありません：{msg}',
  },
  en: {
    title: 'tsunagu map',
    subtitle: 'Finding support on foot (fictional demo town)',
    lang_toggle: '日本語',
    lang_toggle_label: 'Switch to Japanese',
    print: 'Print',
    views: 'Views',
    tab_reach: 'On foot',
    tab_coverage: 'Coverage',
    tab_route: 'Outreach',
    tab_editor: 'Edit resources',
    walking: 'Walking',
    minutes: 'Time',
    minutes_value: '{m} min',
    speed: 'Walking speed',
    speed_general: 'General (80 m/min)',
    speed_slow: 'Slow (60 m/min)',
    speed_elderly: 'Elderly, with a cane (45 m/min)',
    speed_custom: 'Custom',
    speed_custom_label: 'Speed (m/min, 10-150)',
    reach_hint: 'Click a place on the map to see the area reachable on foot from there and the resources within it.',
    reach_here: 'Search from the map centre',
    reach_none: 'No resource of the shown kinds and fields within {m} min.',
    reach_head: '{n} resources within {m} min of {from} ({s} m/min)',
    reach_from: 'the chosen point',
    snapped: '{d} m to the nearest street',
    col_min: 'Walk',
    col_name: 'Name',
    col_kind: 'Kind',
    col_fields: 'Fields',
    col_open: 'Open',
    min_value: '{v} min',
    loading: 'Computing…',
    coverage_hint: 'Shades each district by the share of households that can walk to a resource of the chosen kind within {m} min. Hover over or click a district for its figures.',
    kind: 'Kind',
    level: 'District level',
    run_coverage: 'Compute coverage',
    cov_head: '{kind}, {m} min on foot ({s} m/min)',
    cov_code: 'Code',
    cov_district: 'District',
    cov_households: 'Households',
    cov_covered: 'Covered',
    cov_share: 'Share',
    cov_median: 'Median',
    cov_worst: 'Worst',
    cov_total: 'Total',
    cov_residents: 'Residents (covered)',
    cov_off: 'Households far from any street',
    cov_suppressed: '<5: counts under 5 households are not shown. –: nor are figures from which they could be worked out (so no one can be singled out).',
    cov_popup: '{name}: {c}/{h} households ({p}); nearest at median {med}, worst {max}',
    unreachable: 'unreachable',
    suggest_title: 'Where new sites would help',
    sites: 'Sites',
    candidates: 'Candidates',
    candidates_layer: 'Candidate sites (schools, public buildings …)',
    candidates_nodes: 'Anywhere on the streets',
    run_suggest: 'Suggest sites',
    suggest_before: 'Now {c}/{h} households ({p}) are covered.',
    suggest_pick: '{name}: +{add} households → {p}',
    suggest_node: 'street point {node}',
    suggest_none: 'No candidate would cover anyone not yet covered.',
    route_private: 'Sensitive personal information',
    route_warning: 'This view shows where households to visit are and in which order. It shows only the households of your assignment (agency, district), and every view is recorded in the audit log (who saw which households). Take care with screen sharing and printouts. Coordinates are never listed: only the route and the numbered stops on the map.',
    sign_in: 'Sign in',
    sign_out: 'Sign out',
    token_label: 'Token',
    token_placeholder: 'Token (tsu_…)',
    signed_in: '{name} ({role})',
    signin_bad: 'The token is not valid or has been revoked.',
    signin_hint: 'Coverage and new sites (officials) and outreach routes (coordinators, outreach workers) appear after signing in with a token from your administrator.',
    role_admin: 'administrator',
    role_official: 'official',
    role_coordinator: 'coordinator',
    role_outreach: 'outreach worker',
    role_commissioner: 'welfare commissioner',
    role_editor: 'register editor',
    share_head: 'Sharing a household',
    share_id: 'Household id (your agency\'s)',
    share_agency: 'Share with agency',
    share_basis: 'Basis',
    basis_meeting: 'Support meeting decision',
    basis_consent: 'Consent',
    basis_referral: 'Referral',
    share_reason: 'Reason',
    share_until: 'Until',
    share_from: 'From',
    share_state: 'State',
    share_active: 'active',
    share_inactive: 'inactive',
    share_do: 'Share',
    share_show: 'Show shares',
    share_remove: 'Unshare',
    share_list: 'Shares of {id}',
    share_none: 'This household is shared with no agency.',
    share_done: 'Shared with {agency} (share {n}).',
    share_removed: 'No longer shared with {agency}.',
    district: 'District',
    need: 'Need tag',
    need_any: 'All households',
    start: 'Start',
    start_clicked: 'The point clicked on the map',
    start_clicked_none: 'The point clicked on the map (none yet)',
    dwell: 'Minutes per visit',
    day_minutes: 'Minutes per day (walking and visits)',
    start_time: 'Start time',
    run_route: 'Plan the route',
    route_head: '{n} visits over {d} days, {km} km on foot ({s} m/min)',
    route_day: 'Day {d}: {n} visits, {t0}-{t1}, {km} km on foot',
    route_back: 'back at the start {t} ({m} min walk)',
    route_stop: 'day {d}, visit {k}',
    route_empty: 'No household matches.',
    route_left: 'Households not in the plan: {n} ({why})',
    route_need_start: 'Choose a start or click the map.',
    why_off_network: 'far from any street',
    why_unreachable: 'no path from the start',
    why_too_far: 'too far for one day',
    col_order: '#',
    col_household: 'Household',
    col_arrive: 'Arrive',
    col_leave: 'Leave',
    col_walk: 'Walk',
    layers: 'Shown on the map',
    legend: 'Legend',
    layer_districts: 'Districts',
    layer_resources: 'Resource kinds',
    kind_other: 'Other kinds',
    layer_fields: 'Fields (resources serving any)',
    legend_coverage: 'Coverage (share of households)',
    legend_suggest: 'Suggested new site (rank)',
    legend_reach: 'Reachable on foot',
    legend_route: 'Outreach route (a colour per day, numbers in visiting order)',
    legend_start: 'Start or chosen point',
    map_label: 'Map',
    error: 'Error: {msg}',
    tiles_missing: 'Map tiles are not available yet: showing districts and resources without streets.',
    no_walking: 'This database has no walking network: {msg}',
  },
};

// Resource kinds (tsunagu's built-in list) with a colour and a letter each
// (the letter tells kinds apart without colour).
export const kinds = [
  { key: 'consultation', ja: '相談窓口', en: 'Consultation desk', letter: '相', color: '#c0392b' },
  { key: 'hub', ja: '居場所・拠点', en: 'Living-room hub', letter: '居', color: '#1e8449' },
  { key: 'salon', ja: 'サロン', en: 'Salon', letter: 'サ', color: '#c2185b' },
  { key: 'cafeteria', ja: '子ども食堂・地域食堂', en: 'Community cafeteria', letter: '食', color: '#e67e22' },
  { key: 'gathering_place', ja: '通いの場・集会所', en: 'Gathering place', letter: '集', color: '#2e86c1' },
  { key: 'learning_support', ja: '学習支援', en: 'Learning support', letter: '学', color: '#1a237e' },
  { key: 'work_support', ja: '就労支援', en: 'Work support', letter: '就', color: '#795548' },
  { key: 'welfare_facility', ja: '福祉施設', en: 'Welfare facility', letter: '福', color: '#607d8b' },
  { key: 'dementia_cafe', ja: '認知症カフェ', en: 'Dementia café', letter: '認', color: '#7b1fa2' },
  { key: 'health_room', ja: 'まちの保健室', en: 'Health room', letter: '保', color: '#00897b' },
  { key: 'shelter', ja: '避難所', en: 'Shelter', letter: '避', color: '#827717' },
];
export const otherKindColor = '#333333';

// The four statutory fields.
export const fields = [
  { key: 'elderly', ja: '高齢', en: 'Elderly' },
  { key: 'disability', ja: '障害', en: 'Disability' },
  { key: 'children', ja: '子ども・子育て', en: 'Children' },
  { key: 'hardship', ja: '生活困窮', en: 'Hardship' },
];
const fieldExtra = { all: { ja: '全分野', en: 'All fields' }, unspecified: { ja: '未分類', en: 'Unspecified' } };

// Need tags of households (domain.md); the server takes the Japanese tag.
export const needs = ['高齢独居', '認知症', '要介護', '8050', 'ひきこもり', 'ヤングケアラー', 'ダブルケア',
  '障害', '生活困窮', 'ごみ屋敷', '孤立', '外国籍', '虐待の疑い', 'DV', '不登校'];

let lang = 'ja';

// Adds (or replaces) words of another part of the page: {ja: {...}, en: {...}}.
export function addWords(extra) {
  for (const [l, w] of Object.entries(extra)) Object.assign(words[l] || (words[l] = {}), w);
}

export function setLang(l) { lang = words[l] ? l : 'ja'; document.documentElement.lang = lang; }
export function getLang() { return lang; }

// The word for key in the current language with {name} replaced from vars.
export function t(key, vars = {}) {
  const s = words[lang][key] ?? words.ja[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

export function kindLabel(key) {
  const k = kinds.find((x) => x.key === key);
  return k ? k[lang] : key;
}

// "elderly;children" -> "高齢・子ども・子育て"
export function fieldsLabel(list) {
  if (!list) return '';
  return list.split(';').map((f) => {
    const k = fields.find((x) => x.key === f) || fieldExtra[f];
    return k ? k[lang] : f;
  }).join(lang === 'ja' ? '・' : ', ');
}

// OSM-style opening hours ("Mo-Fr 08:30-17:15; Sa[2] 10:00-12:00") in
// Japanese ("月〜金 08:30-17:15、第2土 10:00-12:00"); English keeps them.
const days = { Mo: '月', Tu: '火', We: '水', Th: '木', Fr: '金', Sa: '土', Su: '日', PH: '祝' };
export function scheduleLabel(s) {
  if (!s || lang !== 'ja') return s || '';
  if (s.trim() === '24/7') return '24時間';
  return s.split(';').map((part) => part.trim()
    .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\[([\d,]+)\]/g, (m, d, n) => `第${n.replace(/,/g, '・')}${days[d]}`)
    .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b/g, (m, d) => days[d])
    .replace(/([月火水木金土日祝])-([月火水木金土日祝])/g, '$1〜$2')
    .replace(/([月火水木金土日祝]),(?=[第月火水木金土日祝])/g, '$1・')).join('、');
}

// Fills the static text of the page.
export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  document.title = t('title');
}
