/**
 * One door for every feed file: its kind is recognised from its content (not its name), and the
 * parser for that kind reads it. What cannot be read comes back as problems with their places;
 * only a file of no kind Wardsight reads is refused outright.
 */
import { VulnError } from '../errors.js';
import type { FeedDocument, FeedKind } from '../model.js';
import { parseCsaf } from './csaf.js';
import { parseCve5 } from './cve5.js';
import { parseCycloneDx } from './cyclonedx.js';
import { detectFeedKind } from './detect.js';
import { parseEpssBytes } from './epss.js';
import { parseKev } from './kev.js';
import { parseMds2 } from './mds2.js';
import { parseNvd } from './nvd.js';
import { parseSpdx } from './spdx.js';

const JSON_PARSERS: Record<Exclude<FeedKind, 'epss' | 'mds2'>, (text: string, file: string) => FeedDocument> = {
  csaf: parseCsaf,
  cve5: parseCve5,
  nvd: parseNvd,
  kev: parseKev,
  cyclonedx: parseCycloneDx,
  spdx: parseSpdx,
};

/** Reads one feed file; throws VULN_ERR_FEED_KIND when it is none of the kinds Wardsight reads. */
export async function readFeed(bytes: Uint8Array, file: string): Promise<FeedDocument> {
  const kind = detectFeedKind(bytes, file);
  if (kind === null) throw new VulnError('VULN_ERR_FEED_KIND', file);
  if (kind === 'mds2') return parseMds2(bytes, file);
  if (kind === 'epss') return parseEpssBytes(bytes, file);
  return JSON_PARSERS[kind](new TextDecoder().decode(bytes), file);
}
