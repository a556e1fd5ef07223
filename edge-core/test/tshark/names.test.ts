/**
 * The name-service decoders against tshark on the shared captures: DNS, mDNS and LLMNR names and
 * records, NetBIOS names, addresses and node status, SSDP start lines and headers, and WS-Discovery
 * element texts. Syslog is proved by fixtures alone: no shared capture carries it. Every
 * disagreement must be listed in EXCEPTIONS with its reason; there are none today.
 */
import { describe, expect, it } from 'vitest';
import { compareCapture, HAVE_TSHARK, sharedCaptures, sharedName, skipNotice, unexplained, type Disagreement, type Exception } from './harness.js';
import { compareWsd } from './names-compare.js';
import { namesExtractor, wsdExtractor } from './names.fields.js';

/** IoT Sentinel device folders whose setups carry both mDNS and SSDP; the first three setups of each. */
const SENTINEL_FOLDERS = ['D-LinkCam', 'D-LinkDayCam', 'D-LinkHomeHub', 'EdimaxCam1', 'HueBridge'];

const CAPTURES = [
  ...sharedCaptures('devid'),
  ...sharedCaptures('medical-protocols'),
  ...SENTINEL_FOLDERS.flatMap((folder) => sharedCaptures(`iot-sentinel/${folder}`).slice(0, 3)),
];

/** Where we knowingly differ from tshark (file, frame, field, reason). */
const EXCEPTIONS: Exception[] = [];

describe('name-service decoders agree with tshark on the shared captures', () => {
  if (!HAVE_TSHARK || CAPTURES.length === 0) {
    skipNotice('tshark name-service comparison: tshark or ../shared/data is absent');
    it.skip('needs tshark and ../shared/data', () => undefined);
    return;
  }
  const all: Disagreement[] = [];

  it.each(CAPTURES.map((path) => [sharedName(path), path] as const))('%s', async (_name, path) => {
    const records = await compareCapture(path, namesExtractor());
    const wsd = await compareWsd(path, wsdExtractor());
    const disagreements = [...records.disagreements, ...wsd.disagreements];
    all.push(...disagreements);
    expect(unexplained(disagreements, EXCEPTIONS).open.slice(0, 5)).toEqual([]);
    expect(records.frames).toBeGreaterThan(0);
  });

  it('lists no exception that matches nothing', () => {
    expect(unexplained(all, EXCEPTIONS).stale).toEqual([]);
  });
});
