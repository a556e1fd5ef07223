/**
 * The lower layers of every shared capture, whatever its link type (Ethernet, BSD loopback, raw IP,
 * Linux cooked): addresses and ports as tshark reads them. The identification decoders build on these.
 */
import { describe, expect, it } from 'vitest';
import { ipv4ToString, ipv6ToString, L3_IPV4, L3_IPV6, L4_ICMP, L4_ICMPV6, L4_TCP, L4_UDP, macToString } from '../../src/dissect.js';
import { compareCapture, HAVE_TSHARK, sharedCaptures, sharedName, skipNotice, type Extractor, type Fields } from './harness.js';

const CAPTURES = [...sharedCaptures('devid'), ...sharedCaptures('medical-protocols'), ...sharedCaptures('iomt-devices').slice(0, 12)];

export function layersExtractor(): Extractor {
  return {
    fields: ['eth.src', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'],
    // Only the outermost headers: ICMP errors and tunnels carry inner ones, which we do not read.
    occurrence: 'first',
    // RFC 792 / RFC 4443 errors quote the offending packet's headers; tshark shows that packet's
    // ports as the frame's, we read only the error itself.
    skip: (_frame, d) => (d.l4 === L4_ICMP || d.l4 === L4_ICMPV6 ? 'ICMP error quoting another packet' : null),
    frame(frame, d, dissected): Fields | null {
      const row: Fields = {};
      if (frame.linkType === 1 && d.l3Offset >= 14) row['eth.src'] = [macToString(d.srcMac)];
      if (d.l3 === L3_IPV4 && (dissected || d.ipProto >= 0)) {
        row['ip.src'] = [ipv4ToString(d.ipSrc)];
        row['ip.dst'] = [ipv4ToString(d.ipDst)];
      }
      if (d.l3 === L3_IPV6 && d.ip6SrcOffset >= 0) {
        row['ipv6.src'] = [ipv6ToString(frame.bytes, d.ip6SrcOffset)];
        row['ipv6.dst'] = [ipv6ToString(frame.bytes, d.ip6DstOffset)];
      }
      if (dissected && d.l4 === L4_TCP) {
        row['tcp.srcport'] = [`${d.srcPort}`];
        row['tcp.dstport'] = [`${d.dstPort}`];
      }
      if (dissected && d.l4 === L4_UDP) {
        row['udp.srcport'] = [`${d.srcPort}`];
        row['udp.dstport'] = [`${d.dstPort}`];
      }
      return row;
    },
  };
}

describe('lower layers agree with tshark on the shared captures', () => {
  if (!HAVE_TSHARK || CAPTURES.length === 0) {
    skipNotice('tshark layer comparison: tshark or ../shared/data is absent');
    it.skip('needs tshark and ../shared/data', () => undefined);
    return;
  }
  it.each(CAPTURES.map((path) => [sharedName(path), path] as const))('%s', async (_name, path) => {
    const result = await compareCapture(path, layersExtractor());
    expect(result.disagreements.slice(0, 5)).toEqual([]);
    expect(result.frames).toBeGreaterThan(0);
  });
});
