/**
 * The CSAF evaluation: on small folders written here, where the right counts are known and where
 * a loose name match or a contradicting statement must show up as a miss; then on the shared CISA
 * ICS medical advisory set, whose figures it prints.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { evaluateCsaf, formatEvaluation } from '../src/eval/csaf-eval.js';
import { parseConstraint } from '../src/version/constraint.js';
import { sharedPath } from './shared-data.js';

interface FixtureProduct { id: string; name: string; version: string }
interface FixtureVuln { cve: string; affected: string[]; fixed?: string[] }

/** A minimal CSAF 2.0 advisory: one vendor, products with one version text each. */
function advisory(id: string, vendor: string, products: FixtureProduct[], vulns: FixtureVuln[]): string {
  return JSON.stringify({
    document: { category: 'csaf_security_advisory', csaf_version: '2.0', title: id, publisher: { name: 'CISA' }, tracking: { id, version: '1' } },
    product_tree: {
      branches: [{
        category: 'vendor', name: vendor,
        branches: products.map((p) => ({
          category: 'product_name', name: p.name,
          branches: [{ category: 'product_version_range', name: p.version, product: { name: `${p.name} ${p.version}`, product_id: p.id } }],
        })),
      }],
    },
    vulnerabilities: vulns.map((v) => ({ cve: v.cve, product_status: { known_affected: v.affected, ...(v.fixed ? { fixed: v.fixed } : {}) } })),
  });
}

const folders: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'csaf-eval-'));
  folders.push(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('evaluateCsaf on fixtures', () => {
  it('scores a clean folder and lists what it excludes', async () => {
    const dir = folder({
      'icsma-99-001-01.json': advisory('ICSMA-99-001-01', 'Becton, Dickinson and Company (BD)', [
        { id: 'P1', name: 'Alaris GS', version: '<= 2.3.6' },
        { id: 'P2', name: 'ExactaMix EM1200', version: '1.1 | 1.2' },
        { id: 'P3', name: 'Alaris 8000 PC unit', version: 'vers:all/*' },
        { id: 'P4', name: 'Accent MRI', version: '< august 28' },
      ], [{ cve: 'CVE-2099-0001', affected: ['P1', 'P2', 'P3', 'P4'] }]),
      'notes.txt': 'not an advisory',
    });
    const e = await evaluateCsaf(dir);
    expect(e.files).toBe(1);
    expect(e.cases).toBe(3);
    expect(e.affectedOnly).toBe(1);
    // Inside: 2.3.6; 1.1 and 1.2; one version for all versions. Outside: 2.3.7; 1.0 and 1.3.
    expect([e.truePositives, e.falseNegatives, e.falsePositives, e.trueNegatives]).toEqual([4, 0, 0, 3]);
    expect(e.details.find((d) => d.product === 'ExactaMix EM1200')).toMatchObject({ affectedVersions: ['1.1', '1.2'], outsideVersions: ['1.0', '1.3'] });
    expect(e.excluded).toEqual([{ advisory: 'ICSMA-99-001-01', vendor: 'Becton, Dickinson and Company (BD)', product: 'Accent MRI', versions: '< august 28', reason: 'the version text is not versions' }]);
    expect([e.precision, e.recall]).toEqual([1, 1]);
  });

  it('counts a loose name match from another advisory as a false positive', async () => {
    const dir = folder({
      'a.json': advisory('ICSMA-99-002-01', 'Philips', [{ id: 'P1', name: 'Monitor X1', version: '<= 2.0' }], [{ cve: 'CVE-2099-0002', affected: ['P1'] }]),
      'b.json': advisory('ICSMA-99-003-01', 'Philips', [{ id: 'P1', name: 'Monitor X1 Wireless', version: '<= 3.0' }], [{ cve: 'CVE-2099-0002', affected: ['P1'] }]),
    });
    const e = await evaluateCsaf(dir);
    expect(e.falsePositives).toBe(1);
    expect(e.precision).toBeLessThan(1);
    expect(e.misses).toHaveLength(1);
    expect(e.misses[0]).toMatchObject({ kind: 'false-positive', advisory: 'ICSMA-99-002-01', product: 'Monitor X1', version: '2.1', cve: 'CVE-2099-0002' });
    expect(e.misses[0]!.why).toContain('Monitor X1 Wireless');
    expect(formatEvaluation(e)).toContain('false-positive ICSMA-99-002-01 Philips / Monitor X1 version 2.1 CVE-2099-0002');
  });

  it('counts an affected device the matcher clears as a false negative, with the reason', async () => {
    const dir = folder({
      'c.json': advisory('ICSMA-99-004-01', 'Baxter', [
        { id: 'P1', name: 'Pump Z9', version: '<= 1.5' },
        { id: 'P2', name: 'Pump Z9', version: '1.5' },
      ], [{ cve: 'CVE-2099-0003', affected: ['P1'], fixed: ['P2'] }]),
    });
    const e = await evaluateCsaf(dir);
    expect(e.falseNegatives).toBe(1);
    expect(e.recall).toBe(0);
    expect(e.misses[0]).toMatchObject({ kind: 'false-negative', product: 'Pump Z9', version: '1.5', why: 'a fixed or not-affected statement of the same product cleared the device' });
  });

  it('does not score an outside version another statement of the product lists as affected', async () => {
    const dir = folder({
      'd.json': advisory('ICSMA-99-005-01', 'General Electric (GE)', [
        { id: 'P1', name: 'B650', version: '1.X' },
        { id: 'P2', name: 'B650', version: '2.X' },
      ], [{ cve: 'CVE-2099-0004', affected: ['P1', 'P2'] }]),
    });
    const e = await evaluateCsaf(dir);
    expect(e.listedElsewhere).toBe(2); // 2 is past 1.X but inside 2.X; 1 is before 2.X but inside 1.X
    expect(e.falsePositives).toBe(0);
    expect(e.trueNegatives).toBe(2); // 3 past 2.X, 0 before 1.X
  });
});

describe('evaluateCsaf on the CISA ICS medical advisories', () => {
  const dir = sharedPath('vuln/csaf-icsma');

  it.skipIf(dir === null)('matches every affected product and no unaffected one', async () => {
    const e = await evaluateCsaf(dir!);
    const report = formatEvaluation(e);
    console.log(report.split('\n').slice(0, 4).join('\n'));
    expect(e.problems).toEqual([]);
    expect(e.cases).toBeGreaterThan(0);
    expect(e.truePositives).toBeGreaterThan(0);
    expect(e.trueNegatives).toBeGreaterThan(0);
    for (const excluded of e.excluded) expect(parseConstraint(excluded.versions).understood, excluded.versions).toBe(false);
    expect(e.misses, report).toEqual([]);
    expect(e.precision).toBe(1);
    expect(e.recall).toBe(1);
  });
});
