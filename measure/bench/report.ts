/** The benchmark's outputs: one printed table, the ratio lines, the JSON file and the SVG chart. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Percentiles } from './stats';

export interface Level {
  concurrency: number;
  lifecycles: number;
  perSecond: number;
  /** Latency of the 11 commands of every lifecycle at this level, ms. */
  commands?: Percentiles;
  submit?: Percentiles;
  /** CPU ms per lifecycle by process group (temporal, worker, api, postgres, bench). */
  cpuMs?: Record<string, number>;
}

export interface Figures {
  startedAt: string;
  seconds: number;
  machine: Record<string, unknown>;
  versions: Record<string, string | null>;
  options: Record<string, unknown>;
  L: Level[];
  direct: Level[];
  F: Level[];
  /** The floor with every write as a regular activity: the intake workflow's shape before its writes became local. */
  F0: Level[];
  /** The minimal floor: the same Updates accepted with no activities at all (the shape's own cost). */
  Fmin: Level[];
  D: Level[];
  perLifecycle: {
    events: {
      L: number | null;
      F: number | null;
      F0: number | null;
      Fmin: number | null;
      byType?: Record<string, Record<string, number>>;
    };
    historyBytes: { L: number | null; F: number | null; F0: number | null; Fmin: number | null };
    dbStatements: number | null;
    dbTransactions: number | null;
    /** pg_stat_database deltas per lifecycle over the whole stack (HTTP) and the worker alone (direct). */
    xacts: { L: number | null; direct: number | null };
    tuples: { L: Record<string, number> | null; direct: Record<string, number> | null };
  };
  reads: Array<{ size: number; seedSeconds: number; endpoints: Record<string, Percentiles> }>;
  open: null | {
    waiting: number;
    seedSeconds: number;
    rss: Array<[number, number | null]>;
    drive: { count: number; concurrency: number; seconds: number; perSecond: number };
    rssAfterDrive: number | null;
  };
  ratios: Record<string, number | null>;
}

export function machine(): Record<string, unknown> {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? null,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()}`,
    hostname: os.hostname(),
  };
}

function packageVersion(name: string): string | null {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return null;
  }
}

export function versions(temporalBinary: string | null, postgres: string | null): Record<string, string | null> {
  const cli = temporalBinary
    ? (spawnSync(temporalBinary, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? null)
    : null;
  return {
    node: process.version,
    temporalSdk: packageVersion('@temporalio/client'),
    temporalCli: cli,
    postgres,
    knex: packageVersion('knex'),
    pg: packageVersion('pg'),
    express: packageVersion('express'),
    zod: packageVersion('zod'),
  };
}

const f = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || b === 0 || Number.isNaN(a) || Number.isNaN(b)
    ? null
    : a / b;

export function computeRatios(fig: Figures, latencyConcurrency: number): Record<string, number | null> {
  const at = (levels: Level[], c: number) => levels.find((l) => l.concurrency === c);
  const out: Record<string, number | null> = {};
  for (const l of fig.L) out[`L/F@${l.concurrency}`] = ratio(l.perSecond, at(fig.F, l.concurrency)?.perSecond);
  for (const l of fig.L)
    if (at(fig.F0, l.concurrency))
      out[`L/F0@${l.concurrency}`] = ratio(l.perSecond, at(fig.F0, l.concurrency)?.perSecond);
  for (const l of fig.L)
    if (at(fig.Fmin, l.concurrency))
      out[`L/Fmin@${l.concurrency}`] = ratio(l.perSecond, at(fig.Fmin, l.concurrency)?.perSecond);
  // How much of F is the shape itself: F/Fmin near 1 means the floor's activities cost little.
  for (const l of fig.F)
    if (at(fig.Fmin, l.concurrency))
      out[`F/Fmin@${l.concurrency}`] = ratio(l.perSecond, at(fig.Fmin, l.concurrency)?.perSecond);
  out['http-p99/direct-p99'] = ratio(
    at(fig.L, latencyConcurrency)?.commands?.p99,
    at(fig.direct, latencyConcurrency)?.commands?.p99,
  );
  if (fig.reads.length >= 2) {
    const [small, large] = [fig.reads[0]!, fig.reads.at(-1)!];
    for (const name of Object.keys(large.endpoints))
      out[`read-p99 ${large.size}/${small.size} ${name}`] = ratio(
        large.endpoints[name]!.p99,
        small.endpoints[name]?.p99,
      );
  }
  if (fig.open) {
    const rss = fig.open.rss.filter(([, m]) => m !== null) as Array<[number, number]>;
    const half = rss.find(([n]) => n >= fig.open!.waiting / 2);
    const last = rss.at(-1);
    if (half && last && half[0] < last[0]) out[`worker-rss ${last[0]}/${half[0]} waiting`] = ratio(last[1], half[1]);
  }
  return out;
}

/** One table: section rows name their columns; rows under them fill those columns. */
export function table(fig: Figures): string {
  const rows: string[][] = [];
  const section = (...cells: string[]) => rows.push(['§', ...cells]);
  const row = (...cells: string[]) => rows.push(cells);
  const levels = [
    ...new Set([...fig.L, ...fig.direct, ...fig.F, ...fig.F0, ...fig.Fmin, ...fig.D].map((l) => l.concurrency)),
  ].sort((a, b) => a - b);
  const by = (list: Level[], pick: (l: Level) => number | null | undefined, digits = 1) =>
    levels.map((c) => f(pick(list.find((l) => l.concurrency === c) ?? ({} as Level)), digits));

  if (levels.length > 0) {
    section('lifecycles/s (closed loop)', ...levels.map((c) => `c=${c}`));
    row('L   via HTTP', ...by(fig.L, (l) => l.perSecond, 2));
    row('L   direct (Temporal client)', ...by(fig.direct, (l) => l.perSecond, 2));
    row('F   floor workflow (same shape as L)', ...by(fig.F, (l) => l.perSecond, 2));
    if (fig.F0.length > 0) row('F0  floor, all writes as activities', ...by(fig.F0, (l) => l.perSecond, 2));
    if (fig.Fmin.length > 0) row('Fmin minimal floor, no activities', ...by(fig.Fmin, (l) => l.perSecond, 2));
    row('D   database only', ...by(fig.D, (l) => l.perSecond, 2));
    const perSecondRatio = (a: Level[], b: Level[]) =>
      levels.map((c) =>
        f(ratio(a.find((l) => l.concurrency === c)?.perSecond, b.find((l) => l.concurrency === c)?.perSecond), 2),
      );
    row('L/F', ...perSecondRatio(fig.L, fig.F));
    if (fig.F0.length > 0) row('L/F0', ...perSecondRatio(fig.L, fig.F0));
    if (fig.Fmin.length > 0) {
      row('L/Fmin', ...perSecondRatio(fig.L, fig.Fmin));
      row('F/Fmin', ...perSecondRatio(fig.F, fig.Fmin));
    }
    section('command latency ms p50/p95/p99', ...levels.map((c) => `c=${c}`));
    const pct = (list: Level[]) =>
      levels.map((c) => {
        const p = list.find((l) => l.concurrency === c)?.commands;
        return p ? `${f(p.p50, 0)}/${f(p.p95, 0)}/${f(p.p99, 0)}` : '–';
      });
    row('HTTP command', ...pct(fig.L));
    row('direct Update (same workflow)', ...pct(fig.direct));
    row('floor Update', ...pct(fig.F));
    if (fig.F0.length > 0) row('floor Update, writes as activities', ...pct(fig.F0));
    if (fig.Fmin.length > 0) row('minimal floor Update, no activities', ...pct(fig.Fmin));
    row(
      'HTTP p99 / direct p99',
      ...levels.map((c) =>
        f(
          ratio(
            fig.L.find((l) => l.concurrency === c)?.commands?.p99,
            fig.direct.find((l) => l.concurrency === c)?.commands?.p99,
          ),
          2,
        ),
      ),
    );
  }
  const cpuAt = levels.includes(32) ? 32 : levels.at(-1);
  const groups = ['temporal', 'worker', 'api', 'postgres', 'bench'];
  if (cpuAt !== undefined) {
    section(`CPU ms per lifecycle at c=${cpuAt}`, ...groups, 'total');
    for (const [name, list] of [
      ['L', fig.L],
      ['direct', fig.direct],
      ['F', fig.F],
      ['F0', fig.F0],
      ['Fmin', fig.Fmin],
      ['D', fig.D],
    ] as const) {
      const cpu = list.find((l) => l.concurrency === cpuAt)?.cpuMs;
      if (cpu)
        row(
          name,
          ...groups.map((g) => f(cpu[g], 0)),
          f(
            Object.values(cpu).reduce((a, b) => a + b, 0),
            0,
          ),
        );
    }
  }
  const pl = fig.perLifecycle;
  const kib = (n: number | null) => f(n === null ? null : n / 1024, 1);
  section('per lifecycle', 'L', 'direct', 'F', 'F0', 'Fmin', 'D');
  row(
    'history events',
    f(pl.events.L, 0),
    f(pl.events.L, 0),
    f(pl.events.F, 0),
    f(pl.events.F0, 0),
    f(pl.events.Fmin, 0),
    '',
  );
  row(
    'history JSON KiB',
    kib(pl.historyBytes.L),
    kib(pl.historyBytes.L),
    kib(pl.historyBytes.F),
    kib(pl.historyBytes.F0),
    kib(pl.historyBytes.Fmin),
    '',
  );
  row('db statements (knex, worker writes)', '', '', '', '', '', f(pl.dbStatements, 1));
  row('db transactions (knex, worker writes)', '', '', '', '', '', f(pl.dbTransactions, 1));
  row('db xact_commit (pg_stat_database)', f(pl.xacts.L, 1), f(pl.xacts.direct, 1), '', '', '', '');
  // pg_stat_database tuple counters, two summed, for the systems that measured them (L and direct).
  const tupleRow = (name: string, a: string, b: string, digits: number) =>
    row(name, ...[pl.tuples.L, pl.tuples.direct].map((t) => f(t ? t[a]! + t[b]! : null, digits)), '', '', '', '');
  tupleRow('db rows inserted+updated', 'inserted', 'updated', 1);
  tupleRow('db rows read (returned+fetched)', 'returned', 'fetched', 0);
  if (fig.reads.length > 0) {
    section(
      'read p99 ms (p50) by sealed lifecycles',
      ...fig.reads.map((r) => r.size.toLocaleString('en')),
      fig.reads.length >= 2 ? 'ratio' : '',
    );
    for (const name of Object.keys(fig.reads[0]!.endpoints)) {
      const p = fig.reads.map((r) => r.endpoints[name]!);
      row(
        name,
        ...p.map((x) => `${f(x.p99, 1)} (${f(x.p50, 1)})`),
        fig.reads.length >= 2 ? f(ratio(p.at(-1)!.p99, p[0]!.p99), 2) : '',
      );
    }
  }
  if (fig.open) {
    const o = fig.open;
    const marks = o.rss.filter(
      ([n], i) => i === 0 || n === o.waiting || n % Math.max(1, Math.round(o.waiting / 4)) === 0,
    );
    section('open workflows', ...marks.map(([n]) => `${n.toLocaleString('en')} waiting`), 'after drive');
    row('worker RSS MiB', ...marks.map(([, m]) => f(m, 0)), f(o.rssAfterDrive, 0));
    row(
      `seeded ${o.waiting.toLocaleString('en')} in ${f(o.seedSeconds, 1)} s; drive ${o.drive.count} to the end at c=${o.drive.concurrency}`,
      `${f(o.drive.seconds, 1)} s`,
      `${f(o.drive.count / o.drive.seconds, 2)}/s`,
    );
  }
  return format(rows);
}

function format(rows: string[][]): string {
  const cells = rows.map((r) => (r[0] === '§' ? r.slice(1) : r));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const total = widths.reduce((a, b) => a + b + 2, 0);
  return rows
    .map((r, i) => (r[0] === '§' ? `${i === 0 ? '' : '\n'}${line(r.slice(1))}\n${'-'.repeat(total)}` : line(r)))
    .join('\n');
}

export function ratioLines(ratios: Record<string, number | null>): string[] {
  return Object.entries(ratios).map(([name, value]) => `ratio ${name}: ${value === null ? 'n/a' : value.toFixed(2)}`);
}

/** Throughput and latency against concurrency, as a plain SVG. */
export function chart(fig: Figures): string {
  const W = 460;
  const H = 300;
  const pad = { l: 56, r: 16, t: 34, b: 44 };
  const levels = [...new Set(fig.L.map((l) => l.concurrency))].sort((a, b) => a - b);
  if (levels.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg"/>';
  const x = (c: number) => pad.l + ((W - pad.l - pad.r) * levels.indexOf(c)) / Math.max(1, levels.length - 1);
  const panel = (
    dx: number,
    title: string,
    unit: string,
    series: Array<{ name: string; color: string; dash?: string; points: Array<[number, number]> }>,
  ) => {
    const max = Math.max(1e-9, ...series.flatMap((s) => s.points.map(([, v]) => v))) * 1.1;
    const y = (v: number) => H - pad.b - ((H - pad.t - pad.b) * v) / max;
    const parts = [
      `<g transform="translate(${dx},0)">`,
      `<text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`,
    ];
    parts.push(
      `<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#333"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#333"/>`,
    );
    for (let i = 0; i <= 4; i += 1) {
      const v = (max * i) / 4;
      parts.push(
        `<line x1="${pad.l}" y1="${y(v)}" x2="${W - pad.r}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v < 10 ? v.toFixed(1) : v.toFixed(0)}</text>`,
      );
    }
    for (const c of levels) parts.push(`<text x="${x(c)}" y="${H - pad.b + 16}" text-anchor="middle">${c}</text>`);
    parts.push(
      `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">concurrency</text><text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${unit}</text>`,
    );
    series.forEach((s, i) => {
      if (s.points.length === 0) return;
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''} points="${s.points.map(([c, v]) => `${x(c)},${y(v)}`).join(' ')}"/>`,
      );
      for (const [c, v] of s.points) parts.push(`<circle cx="${x(c)}" cy="${y(v)}" r="3" fill="${s.color}"/>`);
      parts.push(
        `<rect x="${pad.l + 8}" y="${pad.t + 4 + i * 15}" width="10" height="3" fill="${s.color}"/><text x="${pad.l + 22}" y="${pad.t + 9 + i * 15}">${s.name}</text>`,
      );
    });
    parts.push('</g>');
    return parts.join('\n');
  };
  const pts = (list: Level[], pick: (l: Level) => number | undefined) =>
    list.filter((l) => pick(l) !== undefined).map((l) => [l.concurrency, pick(l)!] as [number, number]);
  const throughput = panel(0, 'Lifecycles per second', 'lifecycles/s', [
    { name: 'L via HTTP', color: '#1f77b4', points: pts(fig.L, (l) => l.perSecond) },
    { name: 'L direct (Temporal client)', color: '#2ca02c', points: pts(fig.direct, (l) => l.perSecond) },
    { name: 'F floor workflow', color: '#d62728', points: pts(fig.F, (l) => l.perSecond) },
    { name: 'F0 floor, writes as activities', color: '#d62728', dash: '4 3', points: pts(fig.F0, (l) => l.perSecond) },
    { name: 'Fmin floor, no activities', color: '#9467bd', dash: '2 2', points: pts(fig.Fmin, (l) => l.perSecond) },
  ]);
  const latency = panel(W, 'Command latency', 'ms', [
    { name: 'HTTP p99', color: '#1f77b4', points: pts(fig.L, (l) => l.commands?.p99) },
    { name: 'HTTP p50', color: '#1f77b4', dash: '4 3', points: pts(fig.L, (l) => l.commands?.p50) },
    { name: 'direct Update p99', color: '#2ca02c', points: pts(fig.direct, (l) => l.commands?.p99) },
    { name: 'direct Update p50', color: '#2ca02c', dash: '4 3', points: pts(fig.direct, (l) => l.commands?.p50) },
    { name: 'floor Update p99', color: '#d62728', points: pts(fig.F, (l) => l.commands?.p99) },
  ]);
  const d = fig.D.length
    ? `D (database only) at c=${fig.D.at(-1)!.concurrency}: ${fig.D.at(-1)!.perSecond.toFixed(0)}/s`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 20}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${throughput}
${latency}
<text x="8" y="${H + 14}" fill="#555">${fig.startedAt} · ${String(fig.machine.cores)} cores · ${d}</text>
</svg>
`;
}
