/**
 * Exploitable here? A vulnerability's attack vector and the service it lies in, held against what
 * the device exposes on this network: reached from the internet, reachable from other segments,
 * reachable only from its own segment, or no path the network gives. Every verdict says why, in
 * words an analyst can check against the traffic.
 */
import type { AffectedService } from './services.js';
import type { DeviceExposure, ServiceExposure } from './exposure.js';

export type AttackVector = 'network' | 'adjacent' | 'local' | 'physical';
export type Reach = 'internet' | 'reachable' | 'segment-only' | 'no-path' | 'unknown';

export interface ReachVerdict {
  reach: Reach;
  because: string[];
  /** The exposed services the verdict rests on (`tcp/443`). */
  services: string[];
  /** Segments clients of those services came from (other than the device's own). */
  fromSegments: string[];
}

function describe(services: readonly ServiceExposure[]): string {
  return services.map((s) => (s.app ? `${s.service} (${s.app})` : s.service)).join(', ');
}

/** How the network lets an attacker reach the flaw on this device. */
export function reachOf(vector: AttackVector | null, affected: AffectedService, exposure: DeviceExposure | undefined): ReachVerdict {
  const none = (reach: Reach, why: string): ReachVerdict => ({ reach, because: [why], services: [], fromSegments: [] });
  if (vector === 'physical') return none('no-path', 'needs physical access to the device; the network gives no path');
  if (vector === 'local') return none('no-path', 'needs local access (a user or program on the device); no network path by itself');
  if (affected.offNetwork === 'radio') return none('no-path', 'reached over a radio link (Bluetooth or RF telemetry), not over the wired network');
  if (affected.offNetwork === 'physical') return none('no-path', 'needs a cable or port on the device; the network gives no path');
  if (!exposure) return none('unknown', 'no traffic of the device has been summarised yet; its exposure is not known');

  const exposed = Object.values(exposure.services);
  const relevant = affected.services.length ? exposed.filter((s) => affected.services.includes(s.service)) : exposed;
  const what = affected.names.length ? `the ${affected.names.join(' / ')} service` : 'any service';
  if (relevant.length === 0) {
    if (vector === 'adjacent') return none('segment-only', `needs an attacker on the device's own segment (${exposure.segment ?? 'unknown'}); no client was seen reaching it`);
    return none('no-path', `${what} was never seen in use on this device: no client reached ${affected.services.length ? affected.services.join(', ') : 'it'}`);
  }
  const own = exposure.segment;
  const segments = new Set<string>();
  let internet = false;
  for (const s of relevant) {
    for (const segment of Object.keys(s.clients)) {
      if (segment === 'internet') internet = true;
      else if (segment !== own) segments.add(segment);
    }
  }
  const services = relevant.map((s) => s.service);
  const fromSegments = [...segments].sort();
  if (vector === 'adjacent') {
    return { reach: 'segment-only', because: [`needs an attacker on the device's own segment (${own ?? 'unknown'}); it serves ${describe(relevant)}`], services, fromSegments };
  }
  if (internet) return { reach: 'internet', because: [`${describe(relevant)} answered clients on the internet`], services, fromSegments };
  if (fromSegments.length) return { reach: 'reachable', because: [`${describe(relevant)} answered clients from ${fromSegments.join(', ')}`], services, fromSegments };
  return { reach: 'segment-only', because: [`${describe(relevant)} answered clients only from its own segment (${own ?? 'unknown'})`], services, fromSegments };
}
