/** The hand-written fixtures are self-consistent: their checksums are right (RFC 1071). */
import { describe, expect, it } from 'vitest';
import { icmpChecksumOk, ipv4HeaderChecksumOk, upperLayerChecksumOk } from './checksum.js';
import { DHCP_ACK_QINQ, DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV6_MLD_HOP_BY_HOP } from './frames-ipv6.js';
import { ICMP_ECHO, IPV4_LATER_FRAGMENT, TCP_ACK_PADDED, TCP_HL7_PUSH, TCP_SYN } from './frames.js';

describe('fixtures', () => {
  it('carry valid IPv4 header checksums', () => {
    for (const [frame, ip] of [
      [DHCP_DISCOVER, 14],
      [DHCP_ACK_QINQ, 22],
      [TCP_SYN, 14],
      [TCP_HL7_PUSH, 14],
      [TCP_ACK_PADDED, 14],
      [ICMP_ECHO, 14],
      [IPV4_LATER_FRAGMENT, 14],
    ] as const) {
      expect(ipv4HeaderChecksumOk(frame, ip)).toBe(true);
    }
  });

  it('carry valid TCP, ICMP and ICMPv6 checksums', () => {
    expect(upperLayerChecksumOk(TCP_SYN, 26, 4, 6, 34, 74)).toBe(true);
    expect(upperLayerChecksumOk(TCP_HL7_PUSH, 26, 4, 6, 34, 76)).toBe(true);
    expect(upperLayerChecksumOk(TCP_ACK_PADDED, 26, 4, 6, 34, 54)).toBe(true);
    expect(icmpChecksumOk(ICMP_ECHO, 34, 50)).toBe(true);
    expect(upperLayerChecksumOk(IPV6_MLD_HOP_BY_HOP, 22, 16, 58, 62, 90)).toBe(true);
  });
});
