import { describe, it, expect } from 'vitest';
import pcap from 'pcap';
import { buildHospital } from '../src/hospital.js';
import { dhcpExchangeFrames } from '../src/traffic/join.js';
import { injectFrames } from '../src/inject.js';

/** The loopback interface carries Ethernet-framed captures on Linux, so injected frames come back to a listener. */
const LOOPBACK = 'lo';

describe('injectFrames', () => {
  it('puts a joining device’s frames on a live interface', async (ctx) => {
    const hospital = buildHospital({ sessionsPerDevice: 0 });
    const [device] = hospital.devices;
    const [gateway] = hospital.infrastructure;
    if (!device || !gateway) throw new Error('empty hospital');
    let listener: pcap.PcapSession;
    try {
      listener = pcap.createSession(LOOPBACK, { filter: `ether src ${device.mac}`, buffer_timeout: 0 });
    } catch (error) {
      console.warn(`[sim] cannot capture on ${LOOPBACK} (${String(error)}): skipping the injection test; it needs root or CAP_NET_RAW`);
      ctx.skip();
      return;
    }
    const received: Buffer[] = [];
    listener.on('packet', (packet: pcap.PacketWithHeader) => {
      const length = packet.header.readUInt32LE(8);
      received.push(Buffer.from(packet.buf.subarray(0, length)));
    });
    try {
      const frames = dhcpExchangeFrames(device, gateway, 0).map((f) => f.frame);
      expect(await injectFrames(LOOPBACK, frames, { gapMs: 5 })).toBe(frames.length);
      for (let waited = 0; received.length < frames.length && waited < 2_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(received.map((b) => b.toString('hex'))).toEqual(frames.map((f) => Buffer.from(f).toString('hex')));
    } finally {
      listener.close();
    }
  });

  it('reports an interface that cannot be opened with a stable code', async () => {
    await expect(injectFrames('wardsight-no-such-if0', [new Uint8Array(60)])).rejects.toMatchObject({ code: 'SIM_ERR_INJECT_OPEN' });
  });
});
