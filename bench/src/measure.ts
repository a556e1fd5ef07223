/** Runs one command and measures its wall time and peak RSS with GNU time (Debian package `time`). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  seconds: number;
  rssMB: number;
  exitCode: number;
  stdout: string;
  stderrTail: string;
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export async function measure(command: string, args: readonly string[], cwd?: string): Promise<Measurement> {
  const dir = await mkdtemp(join(tmpdir(), 'wardsight-measure-'));
  const report = join(dir, 'time.txt');
  try {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-f', '%M', '-o', report, command, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      // Tools that print per packet are drained and dropped; only a short head is kept for parsing.
      if (stdout.length < 64 * 1024) stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 1));
    });
    // Wall time from here (GNU time's own is in hundredths); its peak RSS is the figure we need it for.
    const seconds = (performance.now() - started) / 1000;
    const kb = Number((await readFile(report, 'utf8')).trim().split('\n').pop());
    return { seconds, rssMB: kb / 1024, exitCode, stdout, stderrTail: stderr.slice(-600) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
