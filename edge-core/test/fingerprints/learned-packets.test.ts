import { describe, expect, it } from 'vitest';
import { createDissection, dissect } from '../../src/dissect.js';
import { kindName, packetKind, PacketProfile, PACKET_KINDS } from '../../src/fingerprints/learned-packets.js';
import { DHCP_DISCOVER } from '../decoders/dhcp-frames.js';
import { ARP_REQUEST_VLAN, ICMP_ECHO, TCP_SYN } from '../decoders/frames.js';
import { hex } from '../decoders/hex.js';
import { HTTP_GET_FIRST, HTTP_RESPONSE, MDNS_ANNOUNCEMENT } from './learned-frames.js';

/** An EAPOL-Key frame's first octets (IEEE 802.1X §11.3): only the EtherType is read. */
const EAPOL = hex('0009fb1a2b3c', '00005e000114', '888e', '0203005f');
/** An IEEE 802.3 frame with LLC (length 3, then DSAP 0, SSAP 1, XID control). */
const LLC_XID = hex('ffffffffffff', '0009fb1a2b3c', '0003', '0001af');

function kindOf(frame: Uint8Array): string {
  const d = createDissection();
  dissect(frame, d);
  return kindName(packetKind(frame, d));
}

describe('packet kinds', () => {
  it('name the most specific layer recognised', () => {
    expect(kindOf(EAPOL)).toBe('eapol');
    expect(kindOf(LLC_XID)).toBe('llc');
    expect(kindOf(ARP_REQUEST_VLAN)).toBe('arp');
    expect(kindOf(ICMP_ECHO)).toBe('icmp');
    expect(kindOf(DHCP_DISCOVER)).toBe('dhcp');
    expect(kindOf(MDNS_ANNOUNCEMENT)).toBe('mdns');
    expect(kindOf(TCP_SYN)).toBe('tcp'); // no payload yet
    expect(kindOf(HTTP_GET_FIRST)).toBe('http'); // a method's capital letters
    expect(kindOf(HTTP_RESPONSE)).toBe('http');
    expect(kindName(999)).toBe('other');
    expect(PACKET_KINDS[0]).toBe('other');
  });
});

describe('packet profile', () => {
  it('keeps sizes per direction, shares of kinds sent, and gaps between the first packets sent', () => {
    const d = createDissection();
    const profile = new PacketProfile();
    const add = (frame: Uint8Array, ms: number, sent: boolean): void => {
      dissect(frame, d);
      profile.add(frame, d, frame.length, ms, sent, sent ? 'remote' : '');
    };
    add(DHCP_DISCOVER, 0, true);
    add(TCP_SYN, 250, true);
    add(HTTP_RESPONSE, 300, false);
    const n = profile.numbers();
    expect(n['sent.packets']).toBe(2);
    expect(n['sent.size.min']).toBe(TCP_SYN.length);
    expect(n['sent.size.max']).toBe(DHCP_DISCOVER.length);
    expect(n['received.octets']).toBe(HTTP_RESPONSE.length);
    expect(n['sent.share.dhcp']).toBe(0.5);
    expect(n['first.0.gap-ms']).toBe(-1);
    expect(n['first.1.gap-ms']).toBe(250);
    expect(n['duration.s']).toBe(0.3);
    expect(profile.sequence).toEqual(['>dhcp9', '>tcp6', '<http7']);
  });
});
