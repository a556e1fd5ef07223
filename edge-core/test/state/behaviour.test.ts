/**
 * Behaviour summaries from the edge core: frames built with the simulator's packet builders go
 * through the real dissector and accounting; each interval says what every station sent of its own.
 */
import { describe, expect, it } from 'vitest';
import { packets } from '@wardsight/sim';
import { EdgeCore } from '../../src/core.js';
import { DeviceTable } from '../../src/state/device-table.js';

const { ETHERTYPE_ARP, ETHERTYPE_IPV4, IP_PROTOCOL_TCP, arpReply, ethernetFrame, ipv4Packet, tcpSegment } = packets;

const PUMP = { mac: '00:09:fb:00:00:01', ip: '10.10.1.21' };
const ROUTER = { mac: '00:00:0c:00:00:01', ip: '10.10.1.1' };
const ENGINE = '10.20.0.5';
const T0 = Date.parse('2026-03-02T08:00:00.000Z');

function tcpFrame(srcMac: string, dstMac: string, src: string, dst: string, srcPort: number, dstPort: number, payload: Uint8Array, ttl = 64): Uint8Array {
  const segment = tcpSegment({ src, dst, srcPort, dstPort, seq: 1, ack: 1, flags: 0x18, window: 1024, payload });
  return ethernetFrame({ dst: dstMac, src: srcMac, etherType: ETHERTYPE_IPV4, payload: ipv4Packet({ src, dst, protocol: IP_PROTOCOL_TCP, payload: segment, id: 1, ttl }) });
}

function feed(core: EdgeCore, frame: Uint8Array, ts: number): void {
  core.onFrame(frame, frame.length, ts);
}

describe('behaviour summaries', () => {
  it('sums what each station sent per peer, port and role, and starts again for the next interval', () => {
    const core = new EdgeCore(new DeviceTable());
    feed(core, ethernetFrame({ dst: ROUTER.mac, src: PUMP.mac, etherType: ETHERTYPE_ARP, payload: arpReply(PUMP.mac, PUMP.ip, ROUTER.mac, ROUTER.ip) }), T0);
    const hl7 = new TextEncoder().encode('\x0bMSH|^~\\&|PUMP|WARD3|ENGINE|HOSP|20260302080000||ORU^R01|1|P|2.5\r\x1c\r');
    // Two HL7 messages on two connections (two ephemeral ports) to the interface engine.
    feed(core, tcpFrame(PUMP.mac, ROUTER.mac, PUMP.ip, ENGINE, 50_001, 2575, hl7), T0 + 1000);
    feed(core, tcpFrame(PUMP.mac, ROUTER.mac, PUMP.ip, ENGINE, 50_002, 2575, hl7), T0 + 61_000);
    // The pump answers a web request on its own port 80 (it serves it).
    feed(core, tcpFrame(PUMP.mac, ROUTER.mac, PUMP.ip, '10.10.1.40', 80, 51_000, new Uint8Array(100)), T0 + 62_000);
    // The router forwards a server's reply: not the router's own address, so not its behaviour.
    feed(core, tcpFrame(ROUTER.mac, PUMP.mac, ENGINE, PUMP.ip, 2575, 50_001, new Uint8Array(10), 63), T0 + 2000);

    const [pump, ...others] = core.closeInterval(T0, T0 + 300_000);
    expect(others).toEqual([]);
    expect(pump).toMatchObject({
      device: `mac:${PUMP.mac}`,
      addresses: [PUMP.ip],
      firstSeen: new Date(T0 + 1000).toISOString(),
      lastSeen: new Date(T0 + 62_000).toISOString(),
      packets: 3,
      peersOmitted: 0,
    });
    expect(pump?.peers).toEqual(
      expect.arrayContaining([
        { address: ENGINE, port: 2575, transport: 'tcp', role: 'client', app: 'hl7', packets: 2, bytes: expect.any(Number) as number, firstSeen: new Date(T0 + 1000).toISOString() },
        expect.objectContaining({ address: '10.10.1.40', port: 80, transport: 'tcp', role: 'server', packets: 1 }),
      ]),
    );
    expect(pump?.peers).toHaveLength(2);

    // The next interval counts from nothing; a quiet device is not in it.
    expect(core.closeInterval(T0 + 300_000, T0 + 600_000)).toEqual([]);
    feed(core, tcpFrame(PUMP.mac, ROUTER.mac, PUMP.ip, ENGINE, 50_003, 2575, hl7), T0 + 601_000);
    const [next] = core.closeInterval(T0 + 600_000, T0 + 900_000);
    expect(next).toMatchObject({ packets: 1, firstSeen: new Date(T0 + 601_000).toISOString() });
  });

  it('bounds the peers it lists and counts the rest', () => {
    const core = new EdgeCore(new DeviceTable());
    feed(core, ethernetFrame({ dst: ROUTER.mac, src: PUMP.mac, etherType: ETHERTYPE_ARP, payload: arpReply(PUMP.mac, PUMP.ip, ROUTER.mac, ROUTER.ip) }), T0);
    // A scan: one SYN-sized segment to each of 300 ports.
    for (let port = 1; port <= 300; port++) feed(core, tcpFrame(PUMP.mac, ROUTER.mac, PUMP.ip, '10.10.1.50', 40_000, port, new Uint8Array(0)), T0 + port);
    const [pump] = core.closeInterval(T0, T0 + 300_000);
    expect(pump?.peers).toHaveLength(256);
    expect(pump?.peersOmitted).toBe(44);
  });
});
