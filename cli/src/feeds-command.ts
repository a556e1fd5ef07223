/**
 * `wardsight feeds`: vulnerability and disclosure feeds from files into the local hub — CSAF
 * advisories, CVE records, NVD pages, the KEV catalog, EPSS scores, SBOMs and MDS2 forms. Files are
 * recognised by their content; a folder is read recursively. Each file is imported on its own: a
 * corrupt one is reported by name and place and the others still import. Nothing needs the internet.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import type { FeedDocument } from '@wardsight/vulns';
import { hubDefaults } from '@wardsight/hub/config';
import { HubRefusal, hubRequest } from './hub-client.js';

interface Counts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  older: number;
  withheld: number;
}
interface FileOutcome {
  file: string;
  kind: string;
  records: number;
  counts: Counts;
  problems: { file: string; place: string; message: string; notice?: boolean }[];
}

/** What the demo needs of a hub's library. */
export interface VulnLibraryLike {
  importDocument(doc: FeedDocument): Promise<unknown>;
}

/** Names a feed file may have; anything else in a folder is passed over. */
const FEED_FILE = /\.(json|csv|csv\.gz|gz|xlsx)$/i;
/** One file's upload may take a while on a slow hub: a whole NVD page is parsed before the answer. */
const UPLOAD_TIMEOUT_MS = 300_000;

/** A file to import; `found`: met while reading a folder (not named on the command line). */
export interface FeedFile {
  path: string;
  name: string;
  found: boolean;
}

/** Every feed file under the paths given (folders recursively, sorted), with the name to show. */
export async function feedFiles(paths: readonly string[]): Promise<FeedFile[]> {
  const out: FeedFile[] = [];
  for (const given of paths) {
    const info = await stat(given).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${given}: ${err.code === 'ENOENT' ? 'no such file or folder' : err.message}`, { cause: err });
    });
    if (!info.isDirectory()) {
      out.push({ path: given, name: given, found: false });
      continue;
    }
    const entries = await readdir(given, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && FEED_FILE.test(e.name)).map((e) => join(e.parentPath, e.name));
    for (const path of files.sort()) out.push({ path, name: path, found: true });
  }
  return out;
}

/**
 * Imports feed files straight into a hub this process runs (the demo's): no upload, the same
 * reading and the same library. Files of no feed kind are passed over.
 */
export async function importDemoFeeds(library: VulnLibraryLike, paths: readonly string[]): Promise<{ files: number; records: number; problems: number }> {
  const { readFeed, VulnError } = await import('@wardsight/vulns');
  let files = 0;
  let records = 0;
  let problems = 0;
  for (const f of await feedFiles(paths)) {
    try {
      const doc = await readFeed(new Uint8Array(await readFile(f.path)), f.name);
      await library.importDocument(doc);
      files++;
      records += doc.advisories.length + doc.vulnerabilities.length + doc.kev.length + doc.epss.length + doc.sboms.length + doc.mds2.length;
      problems += doc.problems.filter((p) => !p.notice).length;
    } catch (err) {
      if (!(err instanceof VulnError)) throw err;
    }
  }
  return { files, records, problems };
}

const zero = (): Counts => ({ added: 0, updated: 0, unchanged: 0, removed: 0, older: 0, withheld: 0 });

export function registerFeeds(program: Command): void {
  const feeds = program.command('feeds').description('Vulnerability and disclosure feeds, imported from files into the local hub');

  feeds
    .command('import <paths...>')
    .description('Import feed files or folders: CSAF 2.0, CVE JSON 5, NVD CVE API 2.0, CISA KEV, EPSS CSV (.csv or .csv.gz), CycloneDX, SPDX, MDS2 (.xlsx)')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .option('--maker <vendor>', 'for SBOMs and MDS2 forms whose maker is missing or redacted: the maker they describe (with --model)')
    .option('--model <model>', 'the model those SBOMs and MDS2 forms describe (with --maker)')
    .option('--json', 'print one JSON object with every file\'s outcome instead of text')
    .addHelpText('after', '\nRe-importing a file changes nothing; a newer revision of an advisory replaces the older one.\nThe exit status is 1 when any file had a problem; the other files are imported all the same.')
    .action(async (paths: string[], opts: { dataDir: string; json?: boolean; maker?: string; model?: string }) => {
      if ((opts.maker === undefined) !== (opts.model === undefined)) throw new Error('give --maker and --model together');
      const attribution = opts.maker && opts.model ? `&maker=${encodeURIComponent(opts.maker)}&model=${encodeURIComponent(opts.model)}` : '';
      const files = await feedFiles(paths);
      if (files.length === 0) throw new Error(`no feed files (.json, .csv, .csv.gz, .xlsx) under ${paths.join(', ')}`);
      const bar = new SingleBar({ format: 'importing feeds |{bar}| {value}/{total} files | {file}', stream: process.stderr, noTTYOutput: false, hideCursor: true }, Presets.shades_classic);
      const tty = process.stderr.isTTY === true && !opts.json;
      if (tty) bar.start(files.length, 0, { file: '' });
      const outcomes: FileOutcome[] = [];
      const refused: { file: string; message: string }[] = [];
      const skipped: { file: string; message: string }[] = [];
      for (const [i, f] of files.entries()) {
        if (tty) bar.update(i, { file: basename(f.path) });
        try {
          const bytes = new Uint8Array(
            await readFile(f.path).catch((err: Error) => {
              throw new HubRefusal(`cannot read it: ${err.message}`, 0, 'FILE');
            }),
          );
          const outcome = await hubRequest<FileOutcome>(opts.dataDir, 'POST', `/api/v1/feeds/files?name=${encodeURIComponent(f.name)}${attribution}`, bytes, UPLOAD_TIMEOUT_MS);
          outcomes.push(outcome);
          if (!tty && !opts.json) process.stderr.write(`[${i + 1}/${files.length}] ${f.name}: ${outcome.kind}, ${outcome.records} records, ${outcome.counts.added} added, ${outcome.counts.updated} updated${outcome.problems.length ? `, ${outcome.problems.length} problems` : ''}${outcome.counts.withheld ? `, ${outcome.counts.withheld} withheld` : ''}\n`);
        } catch (err) {
          if (!(err instanceof HubRefusal)) throw err;
          // A folder may hold other JSON beside its feeds (a schema, a manifest): passed over, said, not a fault.
          const passedOver = f.found && err.code === 'HUB_ERR_FEED_KIND';
          (passedOver ? skipped : refused).push({ file: f.name, message: err.message });
          if (!tty && !opts.json) process.stderr.write(`[${i + 1}/${files.length}] ${f.name}: ${passedOver ? 'passed over' : 'refused'}: ${err.message}\n`);
        }
      }
      if (tty) {
        bar.update(files.length, { file: 'done' });
        bar.stop();
      }
      const total = zero();
      for (const o of outcomes) for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += o.counts[k];
      const problems = outcomes.flatMap((o) => o.problems);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ files: files.length, records: outcomes.reduce((n, o) => n + o.records, 0), counts: total, problems, refused, skipped, outcomes }, null, 2)}\n`);
      } else {
        const lines = [
          `${outcomes.length} of ${files.length} files imported${skipped.length ? ` (${skipped.length} passed over: not feeds)` : ''}: ${outcomes.reduce((n, o) => n + o.records, 0)} records; ${total.added} added, ${total.updated} updated, ${total.unchanged} unchanged, ${total.removed} removed, ${total.older} older than what the hub holds${total.withheld ? `, ${total.withheld} withheld (a damaged copy of what the hub holds whole)` : ''}`,
        ];
        for (const p of problems) lines.push(`${p.notice ? 'notice' : 'problem'}: ${p.file} at ${p.place}: ${p.message}`);
        for (const r of refused) lines.push(`refused: ${r.file}: ${r.message}`);
        for (const r of skipped) lines.push(`passed over: ${r.file}: ${r.message}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (problems.some((p) => !p.notice) || refused.length) process.exitCode = 1;
    });

  feeds
    .command('status')
    .description('What the local hub\'s vulnerability library holds')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .action(async (opts: { dataDir: string }) => {
      const counts = await hubRequest<Record<string, number>>(opts.dataDir, 'GET', '/api/v1/feeds');
      process.stdout.write(`${Object.entries(counts).map(([k, v]) => `${k.padEnd(16)}${v}`).join('\n')}\n`);
    });
}
