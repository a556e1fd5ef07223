/**
 * Which feed a file is, from its content rather than its name. A look at the first bytes settles
 * most files: the zip and gzip magic numbers, the EPSS comment or header line, and the keys that
 * mark each JSON feed near the top of the document. Only a JSON document whose marking key comes
 * late (CycloneDX may put `bomFormat` after its components) is parsed in full.
 */
import { constants, gunzipSync } from 'node:zlib';
import type { FeedKind } from '../model.js';
import { isRecord } from './document.js';
import { isGzip } from './epss.js';

/** How much of a file is looked at before parsing it in full. */
const HEAD_BYTES = 64 * 1024;

/** PKWARE APPNOTE §4.3.7: a zip archive starts with a local file header, `PK\x03\x04`. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
/** MS-CFB §2.2: a compound file (an Excel 97–2003 `.xls`) starts with D0 CF 11 E0 A1 B1 1A E1. */
const COMPOUND_FILE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;
/** The part every Office Open XML workbook has (ECMA-376 Part 1); Word and PowerPoint files lack it. */
const WORKBOOK_PART = new TextEncoder().encode('xl/workbook');

/**
 * JSON feeds by the keys, with the start of their values, that mark them; all must show, and are
 * tried in this order. Values are matched too so that a JSON schema of a feed, which has the same
 * keys holding definitions, is not taken for the feed.
 */
const JSON_MARKS: readonly (readonly [FeedKind, readonly RegExp[]])[] = [
  ['csaf', [/"document"\s*:\s*\{/, /"csaf_version"\s*:\s*"/]],
  ['cve5', [/"dataType"\s*:\s*"CVE_RECORD"/]],
  ['nvd', [/"format"\s*:\s*"NVD_CVE"/]],
  ['cyclonedx', [/"bomFormat"\s*:\s*"CycloneDX"/]],
  ['spdx', [/"spdxVersion"\s*:\s*"SPDX-/]],
  ['kev', [/"catalogVersion"\s*:\s*"/, /"vulnerabilities"\s*:\s*\[/]],
];

/**
 * The feed kind of a file: an xlsx workbook (or an `.xls` one) is an MDS2 form; a gzip file is
 * an EPSS file when its first inflated line is the EPSS comment or header; CSV text starting so
 * is EPSS; JSON is told by its marking keys. Null for anything else. `fileName` only breaks ties: a zip archive whose
 * workbook part could not be found is trusted when named `.xlsx`, a compound file when named `.xls`.
 */
export function detectFeedKind(bytes: Uint8Array, fileName: string): FeedKind | null {
  if (startsWith(bytes, ZIP_MAGIC)) return contains(bytes, WORKBOOK_PART) || /\.xls[xm]$/i.test(fileName) ? 'mds2' : null;
  // An old `.xls` form goes to the MDS2 reader, which tells the person to save it as `.xlsx`.
  if (startsWith(bytes, COMPOUND_FILE_MAGIC)) return /\.xls$/i.test(fileName) ? 'mds2' : null;
  if (isGzip(bytes)) return isEpssText(inflateHead(bytes)) ? 'epss' : null;
  // TextDecoder drops a leading byte order mark.
  const head = new TextDecoder().decode(bytes.subarray(0, HEAD_BYTES)).trimStart();
  if (isEpssText(head)) return 'epss';
  if (!head.startsWith('{')) return null;
  const marked = JSON_MARKS.find(([, marks]) => marks.every((mark) => mark.test(head)));
  if (marked !== undefined) return marked[0];
  return bytes.length > HEAD_BYTES ? kindOfDocument(new TextDecoder().decode(bytes)) : kindOfDocument(head);
}

/** True when text opens as an EPSS file: the `#model_version` comment, or a `cve,epss` header. */
function isEpssText(head: string): boolean {
  const first = head.trimStart().split(/\r?\n/, 1)[0] ?? '';
  return /^#\s*model_version/i.test(first) || /^"?cve"?\s*,\s*"?epss"?\b/i.test(first);
}

/** The first inflated bytes of a gzip file, as text ('' when even they cannot be inflated). */
function inflateHead(bytes: Uint8Array): string {
  try {
    // A sync flush inflates what the first bytes hold without needing the rest of the stream.
    return new TextDecoder().decode(gunzipSync(bytes.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH }));
  } catch {
    return '';
  }
}

/** The kind of a whole JSON document, by its top-level keys; null when it is not JSON or no feed. */
function kindOfDocument(body: string): FeedKind | null {
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (isRecord(value.document) && typeof value.document.csaf_version === 'string') return 'csaf';
  if (value.dataType === 'CVE_RECORD') return 'cve5';
  if (value.format === 'NVD_CVE') return 'nvd';
  if (value.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (typeof value.spdxVersion === 'string' && value.spdxVersion.startsWith('SPDX-')) return 'spdx';
  if (typeof value.catalogVersion === 'string' && Array.isArray(value.vulnerabilities)) return 'kev';
  return null;
}

/** True when `bytes` open with the magic number `magic`. */
function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

/** True when `needle` occurs in `bytes` (a plain scan; zip directories are small). */
function contains(bytes: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) >= 0;
}
