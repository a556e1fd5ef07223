/**
 * Where the hub's time went, from the V8 CPU profile `--cpu-prof` writes (the `.cpuprofile` format
 * of the Chrome DevTools protocol, Profiler.Profile): self time by function, by file and by package,
 * and the time spent under each of Wardsight's own functions (its callees included), as shares of the
 * time the hub was not idle. A profile may be cut to a span of time: V8 stamps samples with the
 * system's monotonic clock (CLOCK_MONOTONIC, in µs), the clock `process.hrtime` reads in any process.
 */
import { readFile } from 'node:fs/promises';

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
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  ms: number;
  /** Share of the busy time, in percent. */
  pct: number;
}

/** A span of the monotonic clock, in µs (`process.hrtime.bigint() / 1000n`). */
export interface ProfileSpan {
  fromUs: number;
  toUs: number;
}

/** Now on the clock profiles are stamped with, in µs. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface ProfileSummary {
  file: string;
  /** The span summarised, when the profile was cut to one. */
  span: ProfileSpan | null;
  busyMs: number;
  idleMs: number;
  /** Self time by function (`name file:line`). */
  functions: ProfileLine[];
  /** Self time by source file. */
  files: ProfileLine[];
  /** Self time by npm package, Wardsight workspace, Node's own code, or V8 (GC, compiled code). */
  packages: ProfileLine[];
  /** Time under each Wardsight function, its callees included. */
  under: ProfileLine[];
}

export const profileDefaults = { top: 15 };

const IDLE = new Set(['(idle)']);
const WORKSPACES = ['protocol', 'classify', 'provisioning', 'edge-core', 'appliance', 'hub', 'sim', 'cli', 'bench'];

/** A source URL as a short path: from `node_modules/` or the workspace folder on, `node:…` as it is. */
export function shortPath(url: string): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + 1);
  for (const w of WORKSPACES) {
    const at = path.lastIndexOf(`/${w}/dist/`);
    if (at >= 0) return path.slice(at + 1);
  }
  return path;
}

/** The package a path belongs to: `aedes`, `@scope/name`, a workspace (`hub`), `node` or `v8`. */
export function packageOf(path: string): string {
  if (path.startsWith('node_modules/')) {
    const parts = path.split('/');
    const first = parts[1] ?? '';
    return first.startsWith('@') ? `${first}/${parts[2] ?? ''}` : first;
  }
  if (path.startsWith('node:')) return 'node';
  if (path === '(native)') return 'v8';
  const workspace = WORKSPACES.find((w) => path.startsWith(`${w}/dist/`));
  return workspace ? `wardsight/${workspace}` : 'other';
}

function top(map: Map<string, number>, busy: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, profileDefaults.top)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: busy > 0 ? Math.round((us / busy) * 1000) / 10 : 0 }));
}

const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);

export function summariseProfile(profile: CpuProfile, file: string, span: ProfileSpan | null = null): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortPath(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  const packages = new Map<string, number>();
  const under = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let stamp = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    stamp += us;
    if (span && (stamp < span.fromUs || stamp > span.toUs)) return;
    const node = byId.get(id);
    if (!node || IDLE.has(node.callFrame.functionName)) {
      idle += us;
      return;
    }
    busy += us;
    const path = shortPath(node.callFrame.url);
    add(functions, node.callFrame.url ? label(node) : node.callFrame.functionName, us);
    add(files, path, us);
    add(packages, node.callFrame.url ? packageOf(path) : `v8 ${node.callFrame.functionName}`, us);
    // Each Wardsight function on the stack once, however deep it recurses.
    const seen = new Set<string>();
    for (let at: ProfileNode | undefined = node; at; at = byId.get(parent.get(at.id) ?? -1)) {
      if (!packageOf(shortPath(at.callFrame.url)).startsWith('wardsight/')) continue;
      const name = label(at);
      if (seen.has(name)) continue;
      seen.add(name);
      add(under, name, us);
    }
  });
  return { file, span, busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), functions: top(functions, busy), files: top(files, busy), packages: top(packages, busy), under: top(under, busy) };
}

export async function readProfileSummary(file: string, span: ProfileSpan | null = null): Promise<ProfileSummary> {
  return summariseProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, file, span);
}
