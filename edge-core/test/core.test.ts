/** The edge core's own counters: every frame counted once, IP fragments among them, the unreadable by reason. */
import { describe, expect, it } from 'vitest';
import { EdgeCore } from '../src/core.js';
import { DeviceTable } from '../src/state/device-table.js';
import { ICMP_ECHO, IPV4_LATER_FRAGMENT, TCP_SYN } from './decoders/frames.js';
import { IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT } from './decoders/frames-ipv6.js';

describe('EdgeCore counters', () => {
  it('counts IPv4 and IPv6 fragments among the packets, and only those', () => {
    const core = new EdgeCore(new DeviceTable());
    for (const frame of [TCP_SYN, ICMP_ECHO, IPV4_LATER_FRAGMENT, IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT]) core.onFrame(frame, frame.length, 1000);
    expect(core.snapshot()).toMatchObject({ packets: 5, malformed: 0, fragments: 3 });
  });

  it('counts a frame it cannot read as malformed, by reason, and not as a fragment', () => {
    const core = new EdgeCore(new DeviceTable());
    const cut = IPV4_LATER_FRAGMENT.subarray(0, 20);
    core.onFrame(cut, cut.length, 1000);
    const counters = core.snapshot();
    expect(counters).toMatchObject({ packets: 1, malformed: 1, fragments: 0 });
    expect(Object.values(counters.weird)).toEqual([1]);
  });
});
