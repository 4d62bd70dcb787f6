// The readable side of the results: aligned tables with each figure's target and PASS or MISS; and the JSON file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  figure: string;
  value: string;
  target?: string;
  /** true PASS, false MISS, undefined for figures without a target. */
  pass?: boolean | undefined;
  note?: string;
}

export function table(rows: Row[]): string {
  const head: Row = { figure: 'figure', value: 'value', target: 'target', note: 'note' };
  const all = [head, ...rows];
  const w = {
    figure: Math.max(...all.map((r) => r.figure.length)),
    value: Math.max(...all.map((r) => r.value.length)),
    target: Math.max(...all.map((r) => (r.target ?? '').length)),
  };
  const line = (r: Row, result: string) =>
    `  ${r.figure.padEnd(w.figure)}  ${r.value.padStart(w.value)}  ${(r.target ?? '').padEnd(w.target)}  ${result.padEnd(6)}${r.note ? `  ${r.note}` : ''}`.trimEnd();
  return [
    line(head, 'result'),
    `  ${'-'.repeat(w.figure + w.value + w.target + 14)}`,
    ...rows.map((r) => line(r, r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS')),
  ].join('\n');
}

export const fmt = {
  rate: (x: number) => `${Math.round(x).toLocaleString('en-US')}/s`,
  ms: (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : 'n/a'),
  pct: (x: number) => `${(x * 100).toFixed(0)}%`,
  int: (x: number) => Math.round(x).toLocaleString('en-US'),
  bytes: (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} MB` : `${(x / 1e3).toFixed(0)} kB`),
  cores: (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} cores`),
};

/**
 * Writes a results file as biome formats JSON, so `biome check` (which covers bench/**) stays clean after a run
 * although bench/results/ is only git-ignored.
 */
export function writeJsonResult(file: string, value: unknown, repoRoot: string): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  spawnSync(join(repoRoot, 'node_modules', '.bin', 'biome'), ['format', '--write', file], { stdio: 'ignore' });
}
