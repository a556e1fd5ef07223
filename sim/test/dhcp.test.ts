import { describe, it, expect } from 'vitest';
import { DHCP_ACK, DHCP_OFFER, dhcpDiscover, dhcpReply, dhcpRequest, type DhcpClientIdentity, type DhcpLease } from '../src/packets/dhcp.js';
import { readDhcp, text } from './wire.js';

const client: DhcpClientIdentity = {
  mac: '58:42:e4:a5:4f:f5',
  hostname: 'pump-1a-baxter',
  vendorClassId: 'Baxter Spectrum 8.00.01',
  parameterRequestList: [1, 3, 6, 15, 28, 42],
  broadcast: true,
};
const lease: DhcpLease = { ip: '10.20.1.150', serverId: '10.20.0.5', relay: '10.20.1.1', subnetMask: '255.255.255.0', router: '10.20.1.1', leaseSeconds: 86_400 };

const option = (options: { code: number; value: Uint8Array }[], code: number): Uint8Array | undefined => options.find((o) => o.code === code)?.value;

describe('DHCP message layout (RFC 2131 §2, RFC 2132)', () => {
  it('DISCOVER: BOOTREQUEST, Ethernet chaddr, broadcast flag, cookie at 236, options 53 12 60 55 61 and end', () => {
    const bytes = dhcpDiscover(client, 0xdeadbeef);
    expect(bytes.subarray(0, 4)).toEqual(Uint8Array.of(1, 1, 6, 0)); // op, htype, hlen, hops
    expect(Array.from(bytes.subarray(236, 240))).toEqual([99, 130, 83, 99]);
    const dhcp = readDhcp(bytes);
    expect(dhcp.xid).toBe(0xdeadbeef);
    expect(dhcp.flags).toBe(0x8000);
    expect(dhcp.chaddr).toBe(client.mac);
    expect(dhcp.options[0]).toEqual({ code: 53, value: Uint8Array.of(1) });
    expect(dhcp.options.map((o) => o.code)).toEqual([53, 61, 12, 60, 55, 255]);
    expect(text(option(dhcp.options, 12))).toBe('pump-1a-baxter');
    expect(text(option(dhcp.options, 60))).toBe('Baxter Spectrum 8.00.01');
    expect(Array.from(option(dhcp.options, 55) ?? [])).toEqual([1, 3, 6, 15, 28, 42]);
    expect(Array.from(option(dhcp.options, 61) ?? [])).toEqual([1, 0x58, 0x42, 0xe4, 0xa5, 0x4f, 0xf5]);
    expect(bytes[bytes.length - 1]).toBe(255);
  });

  it('REQUEST names the offered address (50) and the chosen server (54)', () => {
    const dhcp = readDhcp(dhcpRequest(client, 7, lease));
    expect(option(dhcp.options, 53)).toEqual(Uint8Array.of(3));
    expect(Array.from(option(dhcp.options, 50) ?? [])).toEqual([10, 20, 1, 150]);
    expect(Array.from(option(dhcp.options, 54) ?? [])).toEqual([10, 20, 0, 5]);
  });

  it('OFFER and ACK are BOOTREPLYs through the relay with lease, mask and router', () => {
    for (const [type, code] of [[DHCP_OFFER, 2], [DHCP_ACK, 5]] as const) {
      const dhcp = readDhcp(dhcpReply(type, client, 7, lease));
      expect(dhcp.op).toBe(2);
      expect(dhcp.yiaddr).toBe('10.20.1.150');
      expect(dhcp.giaddr).toBe('10.20.1.1');
      expect(option(dhcp.options, 53)).toEqual(Uint8Array.of(code));
      expect(new DataView((option(dhcp.options, 51) ?? new Uint8Array(4)).slice().buffer).getUint32(0)).toBe(86_400);
      expect(Array.from(option(dhcp.options, 1) ?? [])).toEqual([255, 255, 255, 0]);
      expect(Array.from(option(dhcp.options, 3) ?? [])).toEqual([10, 20, 1, 1]);
    }
  });

  it('refuses an option longer than 255 bytes', () => {
    expect(() => dhcpDiscover({ ...client, hostname: 'h'.repeat(256) }, 1)).toThrow(/SIM_ERR_FIELD_RANGE|does not fit/);
  });
});
