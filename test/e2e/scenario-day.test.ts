/**
 * A simulated day on three floors replayed through real sensor processes into a real hub (embedded
 * broker over TLS, LevelDB, the analysis), as a user runs it: `wardsight sim scenario day --eval
 * --json`. Every move must be recorded with the right floors and a time within a minute, every
 * injected anomaly alerted with the right device and kind, and false alerts on the normal traffic
 * after the learning window kept to at most one per 1,000 device-hours.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@wardsight/test';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

interface Score {
  moves: { truth: number; recorded: number; matched: number; recall: number; precision: number; missed: unknown[]; extra: unknown[] };
  anomalies: { truth: number; alerts: number; matched: number; recall: number; precision: number; missed: unknown[] };
  falseAlerts: { count: number; deviceHours: number; per1000DeviceHours: number; alerts: { kind: string; device: string; at: string; title: string }[] };
}

describe('wardsight sim scenario day --eval', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let score: Score;
  let truth: { moves: unknown[]; anomalies: { kind: string }[]; devices: unknown[] };

  beforeAll(async () => {
    dir = await tempDir('wardsight-scenario-');
    const { stdout } = await run(process.execPath, [CLI, 'sim', 'scenario', 'day', '--out', dir.path, '--seed', '1', '--eval', '--json'], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
    score = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Score;
    truth = JSON.parse(await readFile(join(dir.path, 'truth.json'), 'utf8')) as typeof truth;
    process.stdout.write(
      `[scenario] moves recall ${score.moves.recall} precision ${score.moves.precision}; anomalies recall ${score.anomalies.recall} precision ${score.anomalies.precision}; ` +
        `false alerts ${score.falseAlerts.count} in ${Math.round(score.falseAlerts.deviceHours)} device-hours = ${score.falseAlerts.per1000DeviceHours.toFixed(2)} per 1,000\n`,
    );
  }, 600_000);

  afterAll(async () => {
    await dir?.remove();
  });

  it('records every move between floors, with the right floors and time, and no other', () => {
    expect(truth.moves.length).toBeGreaterThanOrEqual(10);
    expect(score.moves.missed).toEqual([]);
    expect(score.moves.extra).toEqual([]);
    expect(score.moves.recall).toBe(1);
  });

  it('alerts every injected anomaly, of every kind, with its device and kind', () => {
    expect(new Set(truth.anomalies.map((a) => a.kind)).size).toBe(8);
    expect(score.anomalies.missed).toEqual([]);
    expect(score.anomalies.recall).toBe(1);
  });

  it('raises at most one false alert per 1,000 device-hours after the learning window', () => {
    expect(score.falseAlerts.deviceHours).toBeGreaterThan(1000);
    expect(score.falseAlerts.per1000DeviceHours, JSON.stringify(score.falseAlerts.alerts)).toBeLessThanOrEqual(1);
  });
});
