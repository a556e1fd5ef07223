/**
 * The vulnerability library on a real LevelDB store: import counts, idempotent re-import, a newer
 * revision replacing what its document said, an older one refused, EPSS by date, and everything
 * still there after the store is closed and opened again.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFeed } from '@wardsight/vulns';
import { LevelHubStore } from '../src/store/level-store.js';
import { VulnLibrary } from '../src/vulns/library.js';
import { useTempDirs } from './fixtures.js';
import { csafAdvisory, kevCatalog } from './vuln-fixtures.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const TWO = [
  { cve: 'CVE-2099-1001', title: 'Web interface accepts unauthenticated uploads', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, fix: 'Update to 3.2.2.' },
  { cve: 'CVE-2099-1002', title: 'Telnet service with a fixed password', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
];

describe('vulnerability library', () => {
  const tempDir = useTempDirs('wardsight-vuln-library-');
  let store: LevelHubStore | undefined;
  afterEach(async () => store?.close());

  const open = async (dir: string) => {
    store = await LevelHubStore.open(join(dir, 'store'));
    return new VulnLibrary(store);
  };

  it('counts what an import adds, and a second import of the same files changes nothing', async () => {
    const library = await open(await tempDir());
    const advisory = await readFeed(bytes(csafAdvisory({ vulnerabilities: TWO })), 'icsma-99-001-01.json');
    expect(await library.importDocument(advisory)).toEqual({ added: 3, updated: 0, unchanged: 0, removed: 0, older: 0, withheld: 0 });
    const kev = await readFeed(bytes(kevCatalog([{ cve: 'CVE-2099-1001', vendor: 'Acme Medical', product: 'InfuCare' }])), 'kev.json');
    expect((await library.importDocument(kev)).added).toBe(1);
    const versionBefore = library.version;

    expect(await library.importDocument(advisory)).toEqual({ added: 0, updated: 0, unchanged: 3, removed: 0, older: 0, withheld: 0 });
    expect(await library.importDocument(kev)).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 0, older: 0, withheld: 0 });
    expect(library.version).toBe(versionBefore);
    const entries = await library.entries();
    expect([...entries.keys()].sort()).toEqual(['CVE-2099-1001', 'CVE-2099-1002']);
    expect(entries.get('CVE-2099-1001')?.kev?.vendorProject).toBe('Acme Medical');
  });

  it('takes a newer revision of an advisory in place of the older one, and refuses an older revision', async () => {
    const dir = await tempDir();
    const library = await open(dir);
    await library.importDocument(await readFeed(bytes(csafAdvisory({ vulnerabilities: TWO, updated: '2024-03-01T00:00:00.000Z' })), 'a.json'));
    // Update A: the second CVE turned out to concern another product and is withdrawn.
    const updateA = await readFeed(bytes(csafAdvisory({ vulnerabilities: TWO.slice(0, 1), updated: '2024-04-01T00:00:00.000Z', revision: '2' })), 'a-update.json');
    const counts = await library.importDocument(updateA);
    expect(counts.removed).toBe(1);
    expect(counts.updated).toBeGreaterThanOrEqual(1);
    expect([...(await library.entries()).keys()]).toEqual(['CVE-2099-1001']);

    const stale = await readFeed(bytes(csafAdvisory({ vulnerabilities: TWO, updated: '2024-03-01T00:00:00.000Z' })), 'a.json');
    const refused = await library.importDocument(stale);
    expect(refused).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect(refused.older).toBe(3);

    await store?.close();
    const reopened = await open(dir);
    expect([...(await reopened.entries()).keys()]).toEqual(['CVE-2099-1001']);
    expect((await reopened.advisories()).map((a) => a.updated)).toEqual(['2024-04-01T00:00:00.000Z']);
  });

  it('never lets a damaged copy of an advisory overwrite the same revision read cleanly', async () => {
    const library = await open(await tempDir());
    const clean = csafAdvisory({ vulnerabilities: TWO });
    await library.importDocument(await readFeed(bytes(clean), 'icsma-99-001-01.json'));
    const damagedText = JSON.parse(clean) as { vulnerabilities: { scores: { cvss_v3: { vectorString: unknown } }[] }[] };
    damagedText.vulnerabilities[0]!.scores[0]!.cvss_v3.vectorString = 42;
    const damaged = await readFeed(bytes(JSON.stringify(damagedText)), 'copy/icsma-99-001-01.json');
    expect(damaged.problems.map((p) => p.place)).toEqual(['/vulnerabilities/0/scores/0/cvss_v3/vectorString']);
    const counts = await library.importDocument(damaged);
    expect(counts).toMatchObject({ added: 0, updated: 0, removed: 0, withheld: 3 });
    expect((await library.entries()).get('CVE-2099-1001')?.statements[0]?.cvss.map((c) => c.vector)).toEqual(['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
  });

  it('keeps the later day\'s EPSS score whatever the order the files come in', async () => {
    const library = await open(await tempDir());
    const day = (date: string, score: string) => readFeed(bytes(`#model_version:v2025.03.14,score_date:${date}T00:00:00Z\ncve,epss,percentile\nCVE-2099-1001,${score},0.9\n`), `epss-${date}.csv`);
    await library.importDocument(await day('2024-05-02', '0.42'));
    expect((await library.importDocument(await day('2024-05-01', '0.01'))).older).toBe(1);
    expect((await library.epss('CVE-2099-1001'))?.epss).toBe(0.42);
  });
});
