/**
 * Which network segment an address belongs to, and whether it is on the internet. Segments are
 * named address blocks from the hub's settings (`workstations: 10.30.0.0/16`); an address in none
 * of them falls in its /24, which is how most hospital VLANs are cut. Private, loopback, link-local,
 * shared (CGNAT) and multicast addresses are never "the internet".
 */
import { BlockList, isIPv4 } from 'node:net';

export interface SegmentDefinition {
  name: string;
  /** CIDR blocks: `10.30.0.0/16`. */
  blocks: string[];
}

const NOT_INTERNET: [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
  ['224.0.0.0', 3],
  ['0.0.0.0', 8],
];

export class SegmentMap {
  private readonly named: { name: string; list: BlockList }[];
  private readonly local = new BlockList();

  constructor(definitions: readonly SegmentDefinition[] = []) {
    this.named = definitions.map((d) => {
      const list = new BlockList();
      for (const block of d.blocks) {
        const [address, bits, ...rest] = block.split('/');
        if (rest.length > 0 || !address || !isIPv4(address) || bits === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) throw new Error(`segment ${d.name}: ${block} is not an IPv4 CIDR block`);
        list.addSubnet(address, Number(bits), 'ipv4');
      }
      return { name: d.name, list };
    });
    for (const [address, bits] of NOT_INTERNET) this.local.addSubnet(address, bits, 'ipv4');
  }

  /** True for a public IPv4 address. */
  isInternet(address: string): boolean {
    return isIPv4(address) && !this.local.check(address, 'ipv4');
  }

  /** The segment's name: a configured one, `internet`, or the address's /24. */
  segmentOf(address: string): string {
    if (!isIPv4(address)) return 'unknown';
    for (const { name, list } of this.named) if (list.check(address, 'ipv4')) return name;
    if (this.isInternet(address)) return 'internet';
    return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  }
}
