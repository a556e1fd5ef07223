/**
 * `wardsight feeds import` as an analyst runs it against a running hub, on the real feeds under
 * ../shared/data: every advisory, CVE record, the KEV catalog, the SBOMs and the MDS2 form import
 * with a progress bar; a damaged copy of one advisory is named with its place while the rest
 * imports and nothing kept is lost; a second import changes nothing. Then what the feeds feed: the
 * SBOM's components against the library, and the MDS2 answers in the maker's record.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '@wardsight/hub';
import { apiGet, startTestHub, tempDir } from '@wardsight/test';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const FEEDS = ['vuln', 'sbom', 'mds2'].map((d) => join(SHARED, d));
const present = FEEDS.every((d) => existsSync(d));
if (!present) console.warn(`[skipped] feeds import: ${SHARED} (vuln, sbom, mds2) is not present`);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe.skipIf(!present)('feeds import against a running hub, on the shared feeds', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let first: CliResult;

  beforeAll(async () => {
    dir = await tempDir();
    hub = await startTestHub(dir.path);
    first = await cli('feeds', 'import', ...FEEDS, '--data-dir', hub.dataDir);
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  it('imports every feed file, one progress line per file, and passes over the JSON schema beside the KEV catalog', async () => {
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const progress = first.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
    expect(progress).toHaveLength(189);
    expect(progress.at(-1)).toMatch(/^\[189\/189\] .*Example-MDS2-Worksheet\.xlsx: mds2, 1 records/);
    expect(first.stdout).toMatch(/^188 of 189 files imported \(1 passed over: not feeds\): 2024 records; 2024 added, 0 updated, 0 unchanged/m);
    expect(first.stdout).toMatch(/passed over: .*known_exploited_vulnerabilities_schema\.json/);
    const { body } = await apiGet<Record<string, number>>(hub, '/api/v1/feeds');
    expect(body).toMatchObject({ advisories: 144, statements: 473, kev: 1404, sboms: 2, mds2: 1 });
  });

  it('draws a progress bar on a terminal', async () => {
    // `script` gives the command a terminal of its own, as an analyst's shell would.
    const command = [CLI, 'feeds', 'import', join(SHARED, 'sbom'), '--data-dir', hub.dataDir].map((a) => `'${a}'`).join(' ');
    const { stdout } = await run('script', ['-qec', `${process.execPath} ${command}`, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(stdout).toMatch(/importing feeds \|[█░]+\| 2\/2 files/);
    expect(stdout).toMatch(/2 of 2 files imported/);
  });

  it('names a damaged advisory with its place, imports the rest, and keeps what it held of the damaged one', async () => {
    const damagedDir = join(dir.path, 'damaged');
    await mkdir(damagedDir);
    const original = await readFile(join(SHARED, 'vuln/csaf-icsma/icsma-18-156-01.json'), 'utf8');
    await writeFile(join(damagedDir, 'icsma-18-156-01.json'), original.slice(0, 3000));
    await copyFile(join(SHARED, 'vuln/csaf-icsma/icsma-17-255-01.json'), join(damagedDir, 'icsma-17-255-01.json'));
    const before = await apiGet<{ entries: unknown[] }>(hub, '/api/v1/feeds');

    const result = await cli('feeds', 'import', damagedDir, '--data-dir', hub.dataDir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^problem: .*damaged\/icsma-18-156-01\.json at line \d+, column \d+: not well-formed JSON/m);
    expect(result.stdout).toMatch(/^1 of 2 files imported|^2 of 2 files imported/m);
    expect(result.stderr).toMatch(/icsma-17-255-01\.json: csaf, 3 records/);
    expect((await apiGet(hub, '/api/v1/feeds')).body).toEqual(before.body);
    const kept = await apiGet<{ maker: { advisories: { id: string }[] } }>(hub, `/api/v1/models/Philips/${encodeURIComponent('IntelliVue MP70')}/assessment`);
    expect(kept.body.maker.advisories.map((a) => a.id)).toContain('ICSMA-18-156-01');
  });

  it('changes nothing on a second import of the same files', async () => {
    const again = await cli('feeds', 'import', ...FEEDS, '--data-dir', hub.dataDir, '--json');
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { records: number; counts: Record<string, number> };
    expect(summary.records).toBe(2024);
    expect(summary.counts).toEqual({ added: 0, updated: 0, unchanged: 2024, removed: 0, older: 0, withheld: 0 });
  });

  it('matches the SBOM\'s components against the library, and reads the MDS2 form into the maker\'s record', async () => {
    const { body: list } = await apiGet<{ sboms: { serial: string; components: number }[] }>(hub, '/api/v1/sboms');
    const extended = list.sboms.find((s) => s.components === 65);
    expect(extended).toBeDefined();
    const sbom = await cli('vulns', 'sbom', extended?.serial ?? '', '--data-dir', hub.dataDir, '--json');
    const matches = (JSON.parse(sbom.stdout) as { matches: { vulnerability: string; kind: string; component: { name: string } }[] }).matches;
    expect(matches).toContainEqual(expect.objectContaining({ vulnerability: 'CVE-2020-11023', kind: 'candidate', component: expect.objectContaining({ name: 'jQuery' }) }));

    // The example form's maker and model are redacted ("Hidden"): the analyst files it under the model it came with.
    const filed = await cli('feeds', 'import', join(SHARED, 'mds2'), '--maker', 'Baxter', '--model', 'Sigma Spectrum', '--data-dir', hub.dataDir);
    expect(filed.code, filed.stdout + filed.stderr).toBe(0);
    const assessed = await cli('models', 'assess', 'Baxter', 'Sigma Spectrum', '--data-dir', hub.dataDir, '--json');
    const a = JSON.parse(assessed.stdout) as { maker: { mds2: { available: boolean; documents: { facts: { id: string; answer: string }[] }[] } }; vulnerabilities: unknown[] };
    expect(a.maker.mds2.available).toBe(true);
    const facts = a.maker.mds2.documents.flatMap((d) => d.facts);
    expect(facts.length).toBeGreaterThan(10);
    expect(facts.map((f) => f.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^CONN-/), expect.stringMatching(/^SBOM-/)]));
    expect(a.vulnerabilities.length).toBeGreaterThan(0);

    const wrong = await cli('feeds', 'import', join(SHARED, 'vuln/kev/known_exploited_vulnerabilities.json'), '--maker', 'Baxter', '--model', 'X', '--data-dir', hub.dataDir);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/refused: .*a maker and model are given only to SBOMs and MDS2 forms/);
  });

  it('evaluates CSAF matching from the command line: precision and recall on the ICS medical advisories', async () => {
    const result = await cli('vulns', 'eval-csaf', join(SHARED, 'vuln/csaf-icsma'), '--json');
    expect(result.code, result.stderr).toBe(0);
    const e = JSON.parse(result.stdout) as { precision: number; recall: number; cases: number; misses: unknown[] };
    expect(e).toMatchObject({ precision: 1, recall: 1, misses: [] });
    expect(e.cases).toBeGreaterThan(500);
    const text = await cli('vulns', 'eval-csaf', join(SHARED, 'vuln/csaf-icsma'));
    expect(text.stdout).toMatch(/^precision 1\.00 {2}recall 1\.00/m);
  });
});
