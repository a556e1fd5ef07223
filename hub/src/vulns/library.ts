/**
 * The hub's vulnerability library: what the imported feeds say, kept in the hub's store. Each
 * vulnerability is kept once per source document (a CSAF advisory, a CVE record, an NVD page), so
 * that sources can be compared and a new revision of a document replaces only what that document
 * said. Import is idempotent: a record equal to the one kept is counted unchanged and not written,
 * and an older revision never overwrites a newer one.
 */
import { basename } from 'node:path';
import type { AdvisoryRecord, EpssScore, FeedDocument, KevEntry, Mds2Record, SbomRecord, VulnerabilityRecord } from '@wardsight/vulns';
import type { Collection, CollectionOp, HubStore } from '../store/hub-store.js';

/** What one import did. */
export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  /** Records a newer revision of their document no longer holds. */
  removed: number;
  /** Records not taken because the library holds a newer revision of them. */
  older: number;
  /**
   * Records not taken because their file had faults and the library already holds the same
   * revision whole: a damaged copy never overwrites what was read cleanly.
   */
  withheld: number;
}

/** One vulnerability with everything the library knows of it. */
export interface VulnerabilityEntry {
  id: string;
  /** What each source document says of it, newest first. */
  statements: VulnerabilityRecord[];
  kev?: KevEntry;
  epss?: EpssScore;
}

const SEP = '\u0000';
/** Reads at most this many stored records at once while comparing. */
const READ_CHUNK = 512;

export const zeroCounts = (): ImportCounts => ({ added: 0, updated: 0, unchanged: 0, removed: 0, older: 0, withheld: 0 });

function add(into: ImportCounts, from: ImportCounts): void {
  into.added += from.added;
  into.updated += from.updated;
  into.unchanged += from.unchanged;
  into.removed += from.removed;
  into.older += from.older;
  into.withheld += from.withheld;
}

/** The key of the document a record came from: `csaf:ICSMA-18-156-01`. */
const sourceKey = (r: { source: { feed: string; document: string } }): string => `${r.source.feed}:${r.source.document}`;

/** A record as kept: the file only by its name, so the same file imported from elsewhere is the same. */
function kept<T extends { source: { file: string } }>(record: T): T {
  return { ...record, source: { ...record.source, file: basename(record.source.file) } };
}

export class VulnLibrary {
  private readonly statements: Collection;
  private readonly sources: Collection;
  private readonly advisoryBook: Collection;
  private readonly kevBook: Collection;
  private readonly epssBook: Collection;
  private readonly sbomBook: Collection;
  private readonly mds2Book: Collection;
  /** Bumped on every change: views built from the library compare it to know they are stale. */
  private changes = 0;
  private entriesCache: { at: number; entries: Map<string, VulnerabilityEntry> } | null = null;

  constructor(store: HubStore) {
    this.statements = store.collection('vuln-statements');
    this.sources = store.collection('vuln-sources');
    this.advisoryBook = store.collection('advisories');
    this.kevBook = store.collection('kev');
    this.epssBook = store.collection('epss');
    this.sbomBook = store.collection('sboms');
    this.mds2Book = store.collection('mds2');
  }

  /** A number that changes whenever the library does. */
  get version(): number {
    return this.changes;
  }

  /** Takes what one file held; returns what changed. */
  async importDocument(doc: FeedDocument): Promise<ImportCounts> {
    const counts = zeroCounts();
    const damaged = doc.problems.some((p) => !p.notice);
    add(counts, await this.importAdvisories(doc.advisories, damaged));
    add(counts, await this.importVulnerabilities(doc.vulnerabilities, doc.advisories, damaged));
    add(counts, await this.putAll(this.kevBook, doc.kev.map((k) => [k.cve, k])));
    add(counts, await this.importEpss(doc.epss));
    add(counts, await this.putAll(this.sbomBook, doc.sboms.map((s) => [s.serial, kept(s)])));
    add(counts, await this.putAll(this.mds2Book, doc.mds2.map((m) => [`${m.manufacturer}|${m.model}|${m.documentId ?? ''}`, kept(m)])));
    if (counts.added + counts.updated + counts.removed > 0) {
      this.changes++;
      this.entriesCache = null;
    }
    return counts;
  }

  private async importAdvisories(advisories: AdvisoryRecord[], damaged: boolean): Promise<ImportCounts> {
    const counts = zeroCounts();
    const fresh: [string, AdvisoryRecord][] = [];
    for (const advisory of advisories) {
      const known = await this.advisoryBook.get(advisory.id);
      const keptUpdated = known ? (JSON.parse(known) as AdvisoryRecord).updated : null;
      if (keptUpdated !== null && keptUpdated > advisory.updated) counts.older++;
      else if (keptUpdated !== null && damaged && keptUpdated >= advisory.updated) counts.withheld++;
      else fresh.push([advisory.id, kept(advisory)]);
    }
    add(counts, await this.putAll(this.advisoryBook, fresh));
    return counts;
  }

  /**
   * A document's vulnerabilities replace what the same document said before, unless the library
   * holds a newer revision of it (or the same revision, read from a file without faults); what the
   * new revision no longer lists is removed.
   */
  private async importVulnerabilities(records: VulnerabilityRecord[], advisories: AdvisoryRecord[], damaged: boolean): Promise<ImportCounts> {
    const counts = zeroCounts();
    const byDocument = new Map<string, VulnerabilityRecord[]>();
    for (const record of records) {
      const list = byDocument.get(sourceKey(record)) ?? [];
      list.push(kept(record));
      byDocument.set(sourceKey(record), list);
    }
    const revisionOf = new Map(advisories.map((a) => [`csaf:${a.id}`, a.updated]));
    for (const [source, list] of byDocument) {
      const updated = revisionOf.get(source) ?? latest(list.map((r) => r.updated ?? ''));
      const before = await this.sources.get(source);
      const previous = before ? (JSON.parse(before) as { updated: string; ids: string[] }) : null;
      if (previous && previous.updated > updated) {
        counts.older += list.length;
        continue;
      }
      if (previous && damaged && previous.updated >= updated) {
        counts.withheld += list.length;
        continue;
      }
      add(counts, await this.putAll(this.statements, list.map((r) => [`${r.id}${SEP}${source}`, r])));
      const ids = [...new Set(list.map((r) => r.id))].sort();
      const gone = (previous?.ids ?? []).filter((id) => !ids.includes(id));
      if (gone.length) await this.statements.batch(gone.map((id): CollectionOp => ({ type: 'del', key: `${id}${SEP}${source}` })));
      counts.removed += gone.length;
      const index = JSON.stringify({ updated, ids });
      if (before !== index) await this.sources.put(source, index);
    }
    return counts;
  }

  /** A score replaces the one kept unless that one is of a later day. */
  private async importEpss(scores: EpssScore[]): Promise<ImportCounts> {
    const counts = zeroCounts();
    const fresh: [string, EpssScore][] = [];
    for (let i = 0; i < scores.length; i += READ_CHUNK) {
      const chunk = scores.slice(i, i + READ_CHUNK);
      const known = await Promise.all(chunk.map((s) => this.epssBook.get(s.cve)));
      chunk.forEach((score, j) => {
        const before = known[j];
        if (before && ((JSON.parse(before) as EpssScore).date ?? '') > (score.date ?? '')) counts.older++;
        else fresh.push([score.cve, score]);
      });
    }
    add(counts, await this.putAll(this.epssBook, fresh));
    return counts;
  }

  /** Writes the records that differ from what is kept, in batches; counts the rest unchanged. */
  private async putAll(collection: Collection, records: [string, unknown][]): Promise<ImportCounts> {
    const counts = zeroCounts();
    for (let i = 0; i < records.length; i += READ_CHUNK) {
      const chunk = records.slice(i, i + READ_CHUNK);
      const known = await Promise.all(chunk.map(([key]) => collection.get(key)));
      const ops: CollectionOp[] = [];
      chunk.forEach(([key, value], j) => {
        const text = JSON.stringify(value);
        const before = known[j];
        if (before === text) counts.unchanged++;
        else {
          if (before === undefined) counts.added++;
          else counts.updated++;
          ops.push({ type: 'put', key, value: text });
        }
      });
      if (ops.length) await collection.batch(ops);
    }
    return counts;
  }

  /** Every vulnerability with its statements, KEV entry and EPSS score (cached until the library changes). */
  async entries(): Promise<Map<string, VulnerabilityEntry>> {
    if (this.entriesCache?.at === this.changes) return this.entriesCache.entries;
    const at = this.changes;
    const entries = new Map<string, VulnerabilityEntry>();
    for await (const [key, value] of this.statements.entries()) {
      const id = key.slice(0, key.indexOf(SEP));
      const entry = entries.get(id) ?? { id, statements: [] };
      entry.statements.push(JSON.parse(value) as VulnerabilityRecord);
      entries.set(id, entry);
    }
    // A vulnerability the KEV catalog lists but no other feed describes still has an entry: its
    // product names make it a candidate for SBOM components and models.
    for await (const [cve, value] of this.kevBook.entries()) if (!entries.has(cve)) entries.set(cve, { id: cve, statements: [], kev: JSON.parse(value) as KevEntry });
    for (const entry of entries.values()) {
      entry.statements.sort((a, b) => ((b.updated ?? '') > (a.updated ?? '') ? 1 : -1));
      const [kev, epss] = await Promise.all([entry.kev ? undefined : this.kevBook.get(entry.id), this.epssBook.get(entry.id)]);
      if (kev) entry.kev = JSON.parse(kev) as KevEntry;
      if (epss) entry.epss = JSON.parse(epss) as EpssScore;
    }
    if (at === this.changes) this.entriesCache = { at, entries };
    return entries;
  }

  async kev(cve: string): Promise<KevEntry | undefined> {
    const value = await this.kevBook.get(cve);
    return value ? (JSON.parse(value) as KevEntry) : undefined;
  }

  async epss(cve: string): Promise<EpssScore | undefined> {
    const value = await this.epssBook.get(cve);
    return value ? (JSON.parse(value) as EpssScore) : undefined;
  }

  async advisories(): Promise<AdvisoryRecord[]> {
    return this.all<AdvisoryRecord>(this.advisoryBook);
  }

  async sboms(): Promise<SbomRecord[]> {
    return this.all<SbomRecord>(this.sbomBook);
  }

  async mds2Forms(): Promise<Mds2Record[]> {
    return this.all<Mds2Record>(this.mds2Book);
  }

  /** How much the library holds, per kind. */
  async counts(): Promise<Record<'vulnerabilities' | 'statements' | 'advisories' | 'kev' | 'epss' | 'sboms' | 'mds2', number>> {
    const size = async (c: Collection): Promise<number> => {
      let n = 0;
      for await (const entry of c.entries()) if (entry) n++;
      return n;
    };
    return {
      vulnerabilities: (await this.entries()).size,
      statements: await size(this.statements),
      advisories: await size(this.advisoryBook),
      kev: await size(this.kevBook),
      epss: await size(this.epssBook),
      sboms: await size(this.sbomBook),
      mds2: await size(this.mds2Book),
    };
  }

  private async all<T>(collection: Collection): Promise<T[]> {
    const out: T[] = [];
    for await (const [, value] of collection.entries()) out.push(JSON.parse(value) as T);
    return out;
  }
}

function latest(dates: string[]): string {
  return dates.reduce((a, b) => (b > a ? b : a), '');
}
