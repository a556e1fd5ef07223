/**
 * Test hosts in network namespaces made for the test: two namespaces joined by a veth pair. All
 * traffic stays inside them. Needs root and iproute2; `netnsSupport()` says why not otherwise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export function netnsSupport(): { ok: true } | { ok: false; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root to create network namespaces' };
  if (!['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'].some((p) => existsSync(p))) return { ok: false, why: 'needs iproute2 (ip)' };
  return { ok: true };
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export interface VethLink {
  /** Namespace and interface of the sending end. */
  a: { ns: string; iface: string };
  /** Namespace and interface of the capturing end. */
  b: { ns: string; iface: string };
  /** Arguments that run a command inside a namespace: `['ip', 'netns', 'exec', ns]`. */
  execIn(ns: string): string[];
  remove(): void;
}

export function createVethLink(): VethLink {
  const id = randomBytes(3).toString('hex');
  const a = { ns: `ws-a-${id}`, iface: `wsa${id}` };
  const b = { ns: `ws-b-${id}`, iface: `wsb${id}` };
  const remove = () => {
    for (const ns of [a.ns, b.ns]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  };
  try {
    ip('netns', 'add', a.ns);
    ip('netns', 'add', b.ns);
    // No IPv6 on the test hosts: the kernel's own neighbour discovery would add frames the test did not send.
    for (const ns of [a.ns, b.ns]) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    ip('link', 'add', a.iface, 'netns', a.ns, 'type', 'veth', 'peer', 'name', b.iface, 'netns', b.ns);
    for (const end of [a, b]) {
      ip('-n', end.ns, 'link', 'set', 'lo', 'up');
      ip('-n', end.ns, 'link', 'set', end.iface, 'up');
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { a, b, execIn: (ns) => ['ip', 'netns', 'exec', ns], remove };
}

export interface SensorBoardNetwork extends VethLink {
  hubIp: string;
  sensorIp: string;
  /** The board's mirror port and the switch end that feeds it, both in the sensor's namespace (`b`). */
  mirror: string;
  feed: string;
}

/**
 * A hub and a sensor board: the hub in namespace `a` at `hubIp`, the board in `b` at `sensorIp`, joined
 * by the veth pair; and the board's mirror port, a second veth pair inside `b`, for tcpreplay to feed.
 */
export function createSensorBoardNetwork(addresses: { hubIp: string; sensorIp: string; mirror: string; feed: string }): SensorBoardNetwork {
  const link = createVethLink();
  try {
    ip('-n', link.a.ns, 'addr', 'add', `${addresses.hubIp}/24`, 'dev', link.a.iface);
    ip('-n', link.b.ns, 'addr', 'add', `${addresses.sensorIp}/24`, 'dev', link.b.iface);
    ip('-n', link.b.ns, 'link', 'add', addresses.mirror, 'type', 'veth', 'peer', 'name', addresses.feed);
    for (const iface of [addresses.mirror, addresses.feed]) ip('-n', link.b.ns, 'link', 'set', iface, 'up');
  } catch (err) {
    link.remove();
    throw err;
  }
  return { ...link, ...addresses };
}
