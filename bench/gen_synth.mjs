#!/usr/bin/env node
// gen_synth.mjs — a synthetic BEIR-format catalog for the scale bench (bench/scale.sh).
//
// usage: node bench/gen_synth.mjs --docs N [--queries Q] --out DIR [--seed S]
//   writes DIR/corpus.jsonl ({"_id","title","text"} a line, N documents) and DIR/queries.jsonl
//   ({"_id","text"} a line, Q need-length queries, default 200).
//
// Sources (DATA env, default ../shared/data relative to the repo root, as in CI):
//   English  $DATA/scifact/corpus.jsonl: word-level Markov chains (order 1, successors kept with
//            their multiplicity, so a draw is frequency-weighted and the generated text has the
//            source's Zipf-like term frequencies); one chain for titles, one for abstracts.
//   Chinese  $DATA/kuake-qtr/corpus.jsonl (medical titles) and data/demo/achievements*.jsonl,
//            data/demo/needs.jsonl (achievement / need texts, weighted ×12–40 so the text reads
//            like achievements; Traditional documents, in the demo's share, from the zh-Hant demo
//            texts alone, so no document mixes scripts): character-level Markov chains of order 2 with back-off to
//            order 1 (20% of draws), so character bigrams — duijie's CJK terms — follow the
//            sources' frequencies while sentences recombine.
//   Both languages also get rare "codes" (e.g. KX-1234, compound/gene-like identifiers, as in real
//   achievements) drawn from a Zipf(s=1) law over 2^20 codes, about one per 100 English words or
//   150 Chinese characters, so the vocabulary keeps growing with N as real catalogs' does
//   (Heaps' law) instead of saturating at the sources' vocabulary.
// Documents alternate English (even) / Chinese (odd). Lengths: English title from scifact's title
// word counts, body from its abstract word counts clamped to 150–300 words; Chinese title 10–30
// characters, body from the demo's description+advantages lengths × a log-normal spread, clamped to
// 150–600 characters. Queries
// alternate too, 100–300 characters (uniform), English from the abstract chain, Chinese from a
// chain weighted towards the demo needs. Deterministic for a given seed; document i does not depend
// on N (the 10k corpus is a prefix of the 100k one), queries do not depend on N at all.
// No packages; Node >= 18.
import { openSync, writeSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const N = Number.parseInt(args.docs ?? '', 10);
const Q = Number.parseInt(args.queries ?? '200', 10);
const SEED = Number.parseInt(args.seed ?? '20240601', 10);
if (!Number.isInteger(N) || N < 0 || !Number.isInteger(Q) || Q < 0 || !args.out) {
    process.stderr.write('usage: node bench/gen_synth.mjs --docs N [--queries Q] --out DIR [--seed S]\n');
    process.exit(2);
}
const DATA = resolve(ROOT, process.env.DATA ?? '../shared/data');

const readJsonl = (f) =>
    readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

// --- seeded PRNG (sfc32, seeded by splitmix32) -----------------------------------------------------
function prng(seed) {
    let s = seed >>> 0;
    const sm = () => {
        s = (s + 0x9e3779b9) >>> 0;
        let z = s;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        return (z ^ (z >>> 16)) >>> 0;
    };
    let a = sm(), b = sm(), c = sm(), d = sm();
    return () => {
        const t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (c << 21) | (c >>> 11);
        c = (c + t) | 0;
        return (t >>> 0) / 4294967296;
    };
}
const pick = (rnd, arr) => arr[Math.floor(rnd() * arr.length)];
const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);

// --- a Markov chain over integer symbols, successors stored flat with multiplicity ----------------
// states: Map key → state index; succ: flat Int32Array of successor symbols.
class Chain {
    constructor() {
        this.index = new Map();
        this.lists = [];
    }
    add(key, sym) {
        let s = this.index.get(key);
        if (s === undefined) {
            s = this.lists.length;
            this.index.set(key, s);
            this.lists.push([]);
        }
        this.lists[s].push(sym);
    }
    freeze() {
        let total = 0;
        for (const l of this.lists) total += l.length;
        this.off = new Int32Array(this.lists.length + 1);
        this.succ = new Int32Array(total);
        let o = 0;
        this.lists.forEach((l, i) => {
            this.off[i] = o;
            for (const x of l) this.succ[o++] = x;
        });
        this.off[this.lists.length] = o;
        this.lists = null;
        return this;
    }
    // a frequency-weighted successor of key, or -1
    next(key, rnd) {
        const s = this.index.get(key);
        if (s === undefined) return -1;
        const lo = this.off[s], n = this.off[s + 1] - lo;
        return this.succ[lo + Math.floor(rnd() * n)];
    }
}

// codes: Zipf(s≈1) over 2^20 ranks via a log-uniform draw; the string is a function of the rank
const LET = 'ABCDEFGHJKLMNPRSTUVWXYZ';
function code(rnd) {
    const r = Math.floor(Math.exp(rnd() * Math.log(1 << 20)));
    let h = Math.imul(r, 0x9e3779b1) >>> 0;
    const l1 = LET[h % 23], l2 = LET[(h >>> 8) % 23];
    const sep = (h >>> 16) & 1 ? '-' : '';
    return `${l1}${l2}${sep}${(r % 9973) + 1}`;
}

// --- English: scifact -------------------------------------------------------------------------------
const sci = readJsonl(join(DATA, 'scifact', 'corpus.jsonl'));
const words = [], wordId = new Map();
const wid = (w) => {
    let i = wordId.get(w);
    if (i === undefined) {
        i = words.length;
        words.push(w);
        wordId.set(w, i);
    }
    return i;
};
const enBody = new Chain(), enTitle = new Chain();
const enStarts = [], enTitleStarts = [], enBodyLens = [], enTitleLens = [];
for (const d of sci) {
    const tw = d.title.split(/\s+/).filter(Boolean), bw = d.text.split(/\s+/).filter(Boolean);
    if (tw.length) {
        enTitleStarts.push(wid(tw[0]));
        enTitleLens.push(tw.length);
        for (let i = 1; i < tw.length; i++) enTitle.add(wid(tw[i - 1]), wid(tw[i]));
    }
    if (bw.length) {
        enBodyLens.push(bw.length);
        enStarts.push(wid(bw[0]));
        for (let i = 1; i < bw.length; i++) {
            const p = wid(bw[i - 1]), w = wid(bw[i]);
            enBody.add(p, w);
            if (/[.?!]$/.test(bw[i - 1])) enStarts.push(w);
        }
    }
}
enBody.freeze();
enTitle.freeze();

function enWords(rnd, chain, backoff, starts, nwords, maxChars) {
    const out = [];
    let chars = 0;
    let w = pick(rnd, starts);
    while (out.length < nwords) {
        let s;
        if (rnd() < 0.01) s = code(rnd);
        else {
            s = words[w];
            let nx = chain.next(w, rnd);
            if (nx < 0 && backoff) nx = backoff.next(w, rnd);
            w = nx < 0 ? pick(rnd, enStarts) : nx;
        }
        if (maxChars && chars + s.length + (out.length ? 1 : 0) > maxChars) break;
        chars += s.length + (out.length ? 1 : 0);
        out.push(s);
    }
    return out.join(' ');
}

// --- Chinese: kuake titles + demo achievements / needs ---------------------------------------------
const chars = [], charId = new Map();
const cid = (c) => {
    let i = charId.get(c);
    if (i === undefined) {
        i = chars.length;
        chars.push(c);
        charId.set(c, i);
    }
    return i;
};
const BOS = cid('\u0002'); // text start: the chain's first context is (BOS, BOS)
const K = 1 << 16; // pair key = a * K + b (fewer than 65536 distinct characters)
const demo = (f) => readJsonl(join(ROOT, 'data', 'demo', f));
const ach = [...demo('achievements.jsonl'), ...demo('achievements2.jsonl')].filter((a) => a.lang !== 'en');
const needs = demo('needs.jsonl').filter((a) => a.lang !== 'en');
// kuake titles are web-page titles: runs of filler (…… ____ ....) are dropped
const kuake = readJsonl(join(DATA, 'kuake-qtr', 'corpus.jsonl'))
    .map((d) => (d.text || d.title).replace(/[._…_\-=~*]{2,}/g, ''))
    .filter(Boolean);

function zhChains(texts) { // [text, weight] → {o2, o1}
    const o2 = new Chain(), o1 = new Chain();
    for (const [t, wgt] of texts) {
        const cs = [BOS, BOS, ...Array.from(t.replace(/\s+/g, ' ').trim(), cid)];
        for (let k = 0; k < wgt; k++)
            for (let i = 2; i < cs.length; i++) {
                o2.add(cs[i - 2] * K + cs[i - 1], cs[i]);
                o1.add(cs[i - 1], cs[i]);
            }
    }
    return { o2: o2.freeze(), o1: o1.freeze() };
}
// weights: the demo texts are ~1/4 of kuake's characters; weighted they dominate each chain.
// Scripts are kept apart, as in a real catalog (a listing is written in Simplified or in
// Traditional, not in a mix): Simplified chains from the zh-Hans demo texts and kuake, Traditional
// chains from the zh-Hant demo texts only; the share of Traditional documents is the demo's.
const hans = ach.filter((a) => a.lang !== 'zh-Hant'), hant = ach.filter((a) => a.lang === 'zh-Hant');
const needsHans = needs.filter((a) => a.lang !== 'zh-Hant'), needsHant = needs.filter((a) => a.lang === 'zh-Hant');
const HANT_SHARE = hant.length / ach.length;
const bodyTexts = (as, w) => as.flatMap((a) => [a.summary, a.description, a.advantages].filter(Boolean).map((t) => [t, w]));
const zhTitle = zhChains([...hans.map((a) => [a.title, 40]), ...needsHans.map((a) => [a.title, 20]), ...kuake.map((t) => [t, 1])]);
const zhBody = zhChains([...bodyTexts(hans, 12), ...needsHans.map((a) => [a.description, 4]), ...kuake.map((t) => [t, 1])]);
const zhNeed = zhChains([...needsHans.map((a) => [a.description, 30]), ...hans.map((a) => [a.description, 6]), ...kuake.map((t) => [t, 1])]);
const twTitle = zhChains([...hant.map((a) => [a.title, 1]), ...needsHant.map((a) => [a.title, 1])]);
const twBody = zhChains([...bodyTexts(hant, 1), ...needsHant.map((a) => [a.description, 1])]);
const twNeed = zhChains([...needsHant.map((a) => [a.description, 3]), ...hant.map((a) => [a.description, 1])]);
// body length: the demo's indexed body (description + advantages, 340-460 characters) spread by a
// log-normal factor (sigma 0.35) to cover achievements shorter and longer than the demo's
const zhBodyLens = ach.map((a) => Array.from(a.description + (a.advantages || '')).length);
const gauss = (rnd) => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const PUNCT = /^[\s，。；：、！？,.;:!?）)」』"'“”]+/;

function zhText(rnd, ch, len) {
    const out = [];
    let a = BOS, b = BOS, n = 0;
    while (n < len) {
        if (n > 0 && rnd() < 1 / 150) {
            const c = code(rnd);
            out.push(c);
            n += c.length;
            continue;
        }
        let c = rnd() < 0.2 && b !== BOS ? ch.o1.next(b, rnd) : ch.o2.next(a * K + b, rnd);
        if (c < 0) c = ch.o1.next(b, rnd);
        if (c < 0) { // dead end (a text's last character): start a new sentence
            a = b = BOS;
            continue;
        }
        out.push(chars[c]);
        n++;
        a = b;
        b = c;
    }
    return out.join('').replace(PUNCT, '').trim();
}

// --- output -------------------------------------------------------------------------------------------
mkdirSync(args.out, { recursive: true });
function writer(path) {
    const fd = openSync(path, 'w');
    let parts = [], size = 0;
    return {
        line(s) {
            parts.push(s);
            size += s.length;
            if (size > 1 << 22) this.flush();
        },
        flush() {
            if (parts.length) writeSync(fd, parts.join('\n') + '\n');
            parts = [];
            size = 0;
        },
        close() {
            this.flush();
            closeSync(fd);
        },
    };
}

const J = JSON.stringify;
const rd = prng(SEED);
const out = writer(join(args.out, 'corpus.jsonl'));
for (let i = 0; i < N; i++) {
    let title, text;
    if (i % 2 === 0) {
        title = enWords(rd, enTitle, enBody, enTitleStarts, pick(rd, enTitleLens), 0);
        text = enWords(rd, enBody, null, enStarts, clamp(pick(rd, enBodyLens), 150, 300), 0);
    } else {
        const tw = rd() < HANT_SHARE, tc = tw ? twTitle : zhTitle;
        title = zhText(rd, tc, 10 + Math.floor(rd() * 21)).replace(/[，。；：、,.;:]+$/, '');
        while (Array.from(title).length < 10) title += zhText(rd, tc, 10);
        title = Array.from(title).slice(0, 30).join('');
        text = zhText(rd, tw ? twBody : zhBody, clamp(Math.round(pick(rd, zhBodyLens) * Math.exp(0.35 * gauss(rd))), 150, 600));
    }
    out.line(`{"_id":"d${i}","title":${J(title)},"text":${J(text)}}`);
}
out.close();

const rq = prng(SEED ^ 0x5bd1e995);
const qo = writer(join(args.out, 'queries.jsonl'));
for (let i = 0; i < Q; i++) {
    const len = 100 + Math.floor(rq() * 201);
    let text;
    if (i % 2 === 0) {
        do text = enWords(rq, enBody, null, enStarts, 1000, len);
        while (text.length < 100);
    } else {
        const nc = rq() < HANT_SHARE ? twNeed : zhNeed;
        text = zhText(rq, nc, len);
        while (Array.from(text).length < 100) text += zhText(rq, nc, 50);
        text = Array.from(text).slice(0, 300).join('');
    }
    qo.line(`{"_id":"q${i}","text":${J(text)}}`);
}
qo.close();
