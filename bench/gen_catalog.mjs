#!/usr/bin/env node
// gen_catalog.mjs — writes N realistic achievements as JSON Lines in the `duijie import` format.
//
// usage: node bench/gen_catalog.mjs N [SEED] > out.jsonl
//
// Rows are recombined from the demo catalog (data/demo/achievements*.jsonl): for each row a base
// achievement of the same language is picked, and its title, summary, description and advantages
// are rebuilt from sentences and keywords of achievements of the same field and language, so the
// text has the demo's vocabulary, lengths and scripts (zh-Hans, zh-Hant, en). Owners are spread
// over the demo's institutions inst01..inst10 (by organization name, as the importer accepts),
// TRL over 1..9, transfer modes over 1..3 of the five; every row is published.
// Output is deterministic for a given N and SEED (mulberry32 PRNG); no packages, Node >= 18.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number.parseInt(process.argv[2] ?? '100000', 10);
const SEED = Number.parseInt(process.argv[3] ?? '20240601', 10);
if (!Number.isInteger(N) || N < 0) {
    process.stderr.write('usage: node bench/gen_catalog.mjs N [SEED] > out.jsonl\n');
    process.exit(2);
}

const demo = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'demo');
const readJsonl = (f) =>
    readFileSync(join(demo, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

// --- seeded PRNG -------------------------------------------------------------------------------
function mulberry32(a) {
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const rnd = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
function sample(arr, k) {
    const a = arr.slice();
    for (let i = 0; i < k && i < a.length; i++) {
        const j = i + Math.floor(rnd() * (a.length - i));
        [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, Math.min(k, a.length));
}

// --- source material ---------------------------------------------------------------------------
const base = [...readJsonl('achievements.jsonl'), ...readJsonl('achievements2.jsonl')];
const orgs = readJsonl('orgs.jsonl');
const instNames = [];
for (let i = 1; i <= 10; i++) {
    const key = `inst${String(i).padStart(2, '0')}`;
    const o = orgs.find((x) => x.key === key);
    if (!o) throw new Error(`orgs.jsonl has no ${key}`);
    instNames.push(o.name);
}

// Sentences end with a CJK full stop / semicolon or an English period followed by a space.
function sentences(text, lang) {
    if (!text) return [];
    const re = lang === 'en' ? /[^.;!?]+(?:[.;!?]+(?=\s|$)|$)\s*/g : /[^。；！？]+[。；！？]?/g;
    return (text.match(re) || []).map((s) => s.trim()).filter((s) => s.length > 3);
}
const len = (s) => [...s].length; // characters, as FORMAT.md counts them
function clip(s, max, lang) {
    const cs = [...s];
    if (cs.length <= max) return s;
    let t = cs.slice(0, max - 1).join('');
    if (lang === 'en') t = t.replace(/\s+\S*$/, '');
    return t + (lang === 'en' ? '.' : '。');
}

// Pools by "field|lang", falling back to "lang" when a field has few rows in that language.
const pools = new Map();
function pool(key) {
    if (!pools.has(key)) pools.set(key, { rows: [], summary: [], description: [], advantages: [], keywords: [] });
    return pools.get(key);
}
for (const r of base) {
    for (const key of [`${r.field}|${r.lang}`, r.lang]) {
        const p = pool(key);
        p.rows.push(r);
        for (const f of ['summary', 'description', 'advantages'])
            p[f].push(...sentences(r[f], r.lang));
        p.keywords.push(...r.keywords);
    }
}
const poolFor = (field, lang) => {
    const p = pools.get(`${field}|${lang}`);
    return p && p.rows.length >= 3 ? p : pools.get(lang);
};

// Field weights: the demo's own distribution (mostly biomedicine subfields).
const fieldsByWeight = base.map((r) => r.field);
const langs = [...Array(50).fill('zh-Hans'), ...Array(8).fill('zh-Hant'), ...Array(7).fill('en')];
const modes = ['transfer', 'license', 'joint', 'equity', 'service'];
const patentStatus = ['granted', 'pending', 'pct'];
const titleTags = {
    'zh-Hans': ['及其制备方法', '的产业化', '关键技术', '（二期）', '工艺优化', '平台', '及应用'],
    'zh-Hant': ['及其製備方法', '的產業化', '關鍵技術', '（二期）', '工藝優化', '平台', '及應用'],
    en: [' and its preparation', ': scale-up', ' (phase II)', ' platform', ' for industrial use'],
};

// Builds text of lo..hi characters from the base row's first sentence and pool sentences.
// No sentence is used twice in one text.
function compose(first, sents, lo, hi, lang) {
    const sep = lang === 'en' ? ' ' : '';
    let out = first || pick(sents);
    const used = new Set([out]);
    let guard = 0;
    while (len(out) < lo && guard++ < 60) {
        const s = pick(sents);
        if (used.has(s)) continue;
        used.add(s);
        out += sep + s;
    }
    return clip(out, hi, lang);
}

function patentNumber() {
    const y = int(2016, 2024);
    const kind = pick(patentStatus);
    if (kind === 'pct') return { number: `PCT/CN${y}/${int(100000, 199999)}`, status: kind };
    const n = `${y}1${String(int(0, 9999999)).padStart(7, '0')}`;
    return { number: `${kind === 'granted' ? 'ZL' : 'CN'}${n}.${int(0, 9)}`, status: kind };
}

const out = [];
const flush = () => {
    if (out.length) process.stdout.write(out.join(''));
    out.length = 0;
};
for (let i = 1; i <= N; i++) {
    const lang = pick(langs);
    const field = pick(fieldsByWeight);
    const p = poolFor(field, lang);
    const b = pick(p.rows);
    const other = pick(p.rows);

    const kws = sample([...new Set([...b.keywords, ...p.keywords])], int(3, 6));
    let title = b.title;
    if (rnd() < 0.5) title = (lang === 'en' ? `${other.keywords[0]}-based ` : other.keywords[0]) + title;
    if (rnd() < 0.5) title += pick(titleTags[lang]);
    title = [...title].slice(0, 60).join('');

    const summary = compose(sentences(b.summary, lang)[0], p.summary, 60, 200, lang);
    const description = compose(sentences(b.description, lang)[0], p.description, int(250, 700), 900, lang);
    const advantages = compose(sentences(b.advantages, lang)[0], p.advantages, 60, 300, lang);

    const row = {
        ref: `g${String(i).padStart(6, '0')}`,
        org: instNames[(i * 7 + int(0, 9)) % 10],
        lang,
        title,
        summary,
        description,
        advantages,
        field,
        keywords: kws,
        trl: int(1, 9),
        patents: Array.from({ length: int(0, 3) }, patentNumber),
        transfer_modes: sample(modes, int(1, 3)).sort((x, y) => modes.indexOf(x) - modes.indexOf(y)),
        price_wan: rnd() < 0.4 ? null : int(5, 2000),
        contact_name: b.contact_name,
        contact_phone: b.contact_phone,
        contact_email: b.contact_email,
        status: 'published',
    };
    out.push(JSON.stringify(row) + '\n');
    if (out.length >= 2000) flush();
}
flush();
