// Reads a V8 CPU profile of the server (node --cpu-prof) and tells where a time window's CPU went: self and
// inclusive time by package or source layer, and the heaviest functions. Run alone on a profile:
//   node bin/run-ts.js bench/profile.ts <file.cpuprofile> [fromMs toMs]
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Share of the window's busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  window: { fromMs: number; toMs: number };
  busyMs: number;
  idleMs: number;
  selfByArea: Share[];
  inclusiveByArea: Share[];
  selfByFunction: Share[];
  inclusiveByFunction: Share[];
}

/** Which package or part of Floorboard a frame belongs to. */
function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName;
    return 'V8 builtins / native';
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) {
    const parts = url.slice(src + 1).split('/');
    return parts.length > 2 ? `floorboard ${parts[0]}/${parts[1]}` : `floorboard ${parts.join('/')}`;
  }
  if (url.startsWith('node:')) return 'node core';
  return url;
}

function functionKey(frame: CallFrame): string {
  const file = frame.url ? frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/') : '';
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

function top(map: Map<string, number>, busy: number, n: number): Share[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, share: busy > 0 ? us / busy : 0 }));
}

/** Summarises the samples taken between `fromMs` and `toMs` after the profile started (all of it by default). */
export function summarizeProfile(file: string, fromMs = 0, toMs = Number.POSITIVE_INFINITY, n = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfArea = new Map<string, number>();
  const inclArea = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclFn = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const atMs = t / 1000;
    if (atMs < fromMs || atMs > toMs) continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const leafArea = area(leaf.callFrame);
    selfArea.set(leafArea, (selfArea.get(leafArea) ?? 0) + us);
    const leafKey = functionKey(leaf.callFrame);
    selfFn.set(leafKey, (selfFn.get(leafKey) ?? 0) + us);
    const areas = new Set<string>();
    const fns = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(root)') continue;
      areas.add(area(frame));
      fns.add(functionKey(frame));
    }
    for (const a of areas) inclArea.set(a, (inclArea.get(a) ?? 0) + us);
    for (const f of fns) inclFn.set(f, (inclFn.get(f) ?? 0) + us);
  }
  return {
    window: { fromMs, toMs },
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    selfByArea: top(selfArea, busy, n),
    inclusiveByArea: top(inclArea, busy, n),
    selfByFunction: top(selfFn, busy, n),
    inclusiveByFunction: top(inclFn, busy, n * 2),
  };
}

export function formatProfile(title: string, s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const rows = (list: Share[]) => list.map((r) => `    ${pct(r.share)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`).join('\n');
  return [
    `${title}: ${s.busyMs.toFixed(0)} ms busy, ${s.idleMs.toFixed(0)} ms idle in the window`,
    '  self time by area (package or source layer):',
    rows(s.selfByArea),
    '  inclusive time by area (the area is anywhere on the stack):',
    rows(s.inclusiveByArea),
    '  self time by function:',
    rows(s.selfByFunction),
    '  inclusive time by function:',
    rows(s.inclusiveByFunction),
  ].join('\n');
}

if (process.argv[1]?.endsWith('profile.ts')) {
  const [file, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bin/run-ts.js bench/profile.ts <file.cpuprofile> [fromMs toMs]');
    process.exit(2);
  }
  const summary = summarizeProfile(file, from ? Number(from) : 0, to ? Number(to) : Number.POSITIVE_INFINITY);
  console.log(formatProfile(file, summary));
}
