/**
 * `wardsight fingerprints` on the IoT Sentinel setup captures (../shared/data, third-party, not in
 * the repository): learn from some setups of each device type and classify the others, and
 * cross-validate over repeated splits. Accuracy must be real (far above the 1 in 27 of guessing);
 * the measured figures are in the report, not asserted here. Skipped with a notice where the data
 * is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
const SENTINEL = resolve(fileURLToPath(new URL('../../../shared/data/iot-sentinel', import.meta.url)));
const LABELS = join(SENTINEL, 'labels.csv');
const HAVE_DATA = existsSync(LABELS);
if (!HAVE_DATA) console.warn(`[skipped] wardsight fingerprints: ${LABELS} is absent`);

const TYPES = 27;
/** Far above guessing among 27 types (0.037), far below what is measured (about 0.93). */
const WELL_ABOVE_CHANCE = 0.5;

function wardsight(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'fingerprints', ...args], { encoding: 'utf8', timeout: 120_000 });
}

interface Accuracy {
  overall: number;
  perClass: Record<string, { accuracy: number; n: number }>;
  n: number;
}

describe.skipIf(!HAVE_DATA)('wardsight fingerprints on IoT Sentinel', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let trainCsv: string;
  let testCsv: string;

  beforeAll(async () => {
    dir = await tempDir();
    // Within each device, alternate setups train and test: never a capture in both.
    const [header, ...rows] = readFileSync(LABELS, 'utf8').trim().split('\n');
    const seen = new Map<string, number>();
    const train: string[] = [];
    const test: string[] = [];
    for (const row of rows) {
      const device = row.split(',')[1] ?? '';
      const n = seen.get(device) ?? 0;
      seen.set(device, n + 1);
      (n % 2 === 0 ? train : test).push(row);
    }
    trainCsv = join(dir.path, 'train.csv');
    testCsv = join(dir.path, 'test.csv');
    writeFileSync(trainCsv, `${header}\n${train.join('\n')}\n`);
    writeFileSync(testCsv, `${header}\n${test.join('\n')}\n`);
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('learns a model from some setups and classifies the others', () => {
    const model = join(dir.path, 'model.json');
    const learned = wardsight('learn', '--labels', trainCsv, '--pcaps', SENTINEL, '--label-column', 'device_type_27', '--out', model, '--trees', '30');
    expect(learned.stderr).toBe('');
    expect(learned.status).toBe(0);
    expect(learned.stdout).toMatch(/^learned 27 classes \(device_type_27\) from \d+ captures; model written to /);
    const file = JSON.parse(readFileSync(model, 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ format: 'wardsight-fingerprints', version: 1, labelColumn: 'device_type_27' });
    expect(file.classes).toHaveLength(TYPES);
    // No unit's own MAC reaches the model: the labels table names every device's.
    const macs = readFileSync(LABELS, 'utf8').match(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g) ?? [];
    const text = readFileSync(model, 'utf8').toLowerCase();
    for (const mac of new Set(macs)) {
      expect(text).not.toContain(mac);
      expect(text).not.toContain(mac.replaceAll(':', ''));
    }

    const evaluated = wardsight('eval', '--model', model, '--labels', testCsv, '--pcaps', SENTINEL, '--label-column', 'device_type_27', '--json');
    expect(evaluated.status).toBe(0);
    const result = JSON.parse(evaluated.stdout) as Accuracy & { unknownLabels: string[] };
    expect(Object.keys(result.perClass)).toHaveLength(TYPES);
    expect(result.unknownLabels).toEqual([]);
    expect(result.n).toBe(Object.values(result.perClass).reduce((n, c) => n + c.n, 0));
    expect(result.overall).toBeGreaterThan(WELL_ABOVE_CHANCE);

    const text2 = wardsight('eval', '--model', model, '--labels', testCsv, '--pcaps', SENTINEL);
    expect(text2.stdout).toMatch(/\noverall accuracy 0\.\d{3} \(n = \d+\)\n$/);
  });

  it('cross-validates over repeated splits, beside the published figure', () => {
    const run = wardsight('crossval', '--labels', LABELS, '--pcaps', SENTINEL, '--label-column', 'device_type_27', '--splits', '2', '--trees', '30', '--json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Accuracy & { spread: { splits: number; sd: number }; published: { overall: number } | null; byModel: Record<string, unknown> };
    expect(Object.keys(result.perClass)).toHaveLength(TYPES);
    expect(result.spread.splits).toBe(2);
    expect(result.published?.overall).toBe(0.815);
    expect(Object.keys(result.byModel)).toEqual(['tokens', 'forest', 'sequence', 'ensemble']);
    expect(result.overall).toBeGreaterThan(WELL_ABOVE_CHANCE);
  });

  it('says what is wrong with the labels, the captures or the model', () => {
    const column = wardsight('crossval', '--labels', LABELS, '--pcaps', SENTINEL, '--label-column', 'type');
    expect(column.status).toBe(1);
    expect(column.stderr).toContain('has no column "type" (columns: file, device, device_type_27, device_mac, setup_person, setup_seq) [CLASSIFY_ERR_LABELS]');
    const folder = wardsight('crossval', '--labels', LABELS, '--pcaps', dir.path, '--label-column', 'device_type_27');
    expect(folder.stderr).toMatch(/357 of the captures .* are not under .*: Aria\/Setup-A-1-STA\.pcap, .* and 352 more/);
    const bogus = join(dir.path, 'bogus.json');
    writeFileSync(bogus, '{"format": "wardsight-fingerprints", "version": 9}');
    const model = wardsight('eval', '--model', bogus, '--labels', LABELS, '--pcaps', SENTINEL);
    expect(model.status).toBe(1);
    expect(model.stderr).toContain(`${bogus}: version is 9; this wardsight reads version 1 [CLASSIFY_ERR_MODEL_FILE]`);
  });
});
