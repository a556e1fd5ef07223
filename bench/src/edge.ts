/**
 * The edge benchmark: one standard hospital mix, every tool on the same file in one run, packets
 * per second, Mbit/s and peak RSS side by side, and Wardsight's ratio to each. Before each run the
 * file is read through once, so that every tool reads it from memory (a tool timed right after the
 * file was evicted would otherwise be timed on the disk); each tool runs `runs` times and its
 * median run is reported, since the machines this runs on are shared and noisy.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMix } from '@wardsight/sim';
import { measure, type Measurement } from './measure.js';
import { PEERS, installed, wardsightTool, type Tool } from './tools.js';

export interface EdgeBenchOptions {
  repo: string;
  packets: number;
  devices: number;
  seed?: number;
  /** Names of the tools to run; all by default. */
  tools?: string[];
  shards?: number;
  /** Runs per tool; the median is reported (3 by default). */
  runs?: number;
  /** Progress lines go here (standard error by default). */
  log?: (line: string) => void;
}

export interface ToolResult {
  pps: number;
  mbps: number;
  rssMB: number;
  seconds: number;
}

export interface EdgeBenchReport {
  input: { packets: number; devices: number; bytes: number; file: string };
  tools: Record<string, ToolResult>;
  /** Wardsight's packets/s divided by each tool's. */
  ratios: Record<string, number>;
  missing: string[];
  failed: Record<string, string>;
}

const MIX_VERSION = 3;

/** The mix file for these parameters, made once and kept under the system's temporary folder. */
export async function mixFile(packets: number, devices: number, seed: number, log: (l: string) => void): Promise<{ file: string; bytes: number }> {
  const dir = join(tmpdir(), 'wardsight-bench');
  await mkdir(dir, { recursive: true });
  // The version changes whenever the mix's composition does, so that an old file is never timed as new.
  const file = join(dir, `mix${MIX_VERSION}-${packets}p-${devices}d-s${seed}.pcap`);
  if (!existsSync(file)) {
    log(`making the hospital mix: ${packets} packets, ${devices} devices…`);
    const partial = `${file}.partial`;
    await writeMix(partial, { packets, devices, seed });
    await rename(partial, file);
  }
  // Bytes on the wire: the file less its 24-octet header and 16 octets per record.
  const size = (await stat(file)).size;
  return { file, bytes: size - 24 - 16 * packets };
}

/** Reads the file through once, so that it is in the page cache for the run that follows. */
async function warm(file: string): Promise<void> {
  for await (const _ of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }));
}

/** The run of median wall time. */
function median(runs: Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)] as Measurement;
}

export async function runEdgeBench(o: EdgeBenchOptions): Promise<EdgeBenchReport> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const seed = o.seed ?? 1;
  const { file, bytes } = await mixFile(o.packets, o.devices, seed, log);
  const all: Tool[] = [wardsightTool(o.repo, o.shards), ...PEERS];
  const chosen = o.tools ? all.filter((t) => o.tools?.includes(t.name)) : all;
  const report: EdgeBenchReport = { input: { packets: o.packets, devices: o.devices, bytes, file }, tools: {}, ratios: {}, missing: [], failed: {} };
  for (const tool of chosen) {
    if (!installed(tool)) {
      report.missing.push(tool.name);
      continue;
    }
    const scratch = await mkdtemp(join(tmpdir(), `wardsight-bench-${tool.name}-`));
    try {
      const runs = Math.max(1, Math.floor(o.runs ?? 3));
      log(`timing ${tool.name}${runs > 1 ? ` (median of ${runs} runs)` : ''}…`);
      const done: Measurement[] = [];
      for (let i = 0; i < runs; i++) {
        await warm(file);
        await rm(scratch, { recursive: true, force: true });
        await mkdir(scratch, { recursive: true });
        const m = await measure(tool.binary, tool.args(file, scratch));
        if (m.exitCode !== 0) {
          report.failed[tool.name] = `exit ${m.exitCode}: ${m.stderrTail}`;
          break;
        }
        done.push(m);
      }
      if (done.length < runs) continue;
      const m = median(done);
      report.tools[tool.name] = { pps: o.packets / m.seconds, mbps: (bytes * 8) / m.seconds / 1e6, rssMB: m.rssMB, seconds: m.seconds };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const ours = report.tools.wardsight?.pps;
  if (ours) for (const [name, r] of Object.entries(report.tools)) if (name !== 'wardsight') report.ratios[name] = ours / r.pps;
  return report;
}

export interface ScalingReport {
  packets: number;
  points: { devices: number; pps: number; rssMB: number }[];
  /** (fastest / slowest − 1), as a percentage. */
  spreadPct: number;
}

export async function runScaling(o: Omit<EdgeBenchOptions, 'devices' | 'tools'> & { devices: number[] }): Promise<ScalingReport> {
  const points: ScalingReport['points'] = [];
  for (const devices of o.devices) {
    const r = await runEdgeBench({ ...o, devices, tools: ['wardsight'] });
    const w = r.tools.wardsight;
    if (!w) throw new Error(`wardsight did not run: ${JSON.stringify(r.failed)}`);
    points.push({ devices, pps: w.pps, rssMB: w.rssMB });
  }
  const rates = points.map((p) => p.pps);
  return { packets: o.packets, points, spreadPct: (Math.max(...rates) / Math.min(...rates) - 1) * 100 };
}
