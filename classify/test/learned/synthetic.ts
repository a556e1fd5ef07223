/**
 * Made-up devices for the model tests: each class has its own tokens, a typical packet size and a
 * packet sequence; every example adds noise (a token of its own, jittered numbers) from a seeded
 * generator, so tests are repeatable.
 */
import type { FeatureRecord, LabelledFeatures } from '../../src/learned/features.js';
import { seededRandom } from '../../src/learned/random.js';

export const CLASSES = ['infusion-pump', 'patient-monitor', 'printer'] as const;

const TOKENS: Record<(typeof CLASSES)[number], string[]> = {
  'infusion-pump': ['dhcp.option60=PumpOS 2.1', 'dns.query=pumps.example', 'tcp.connect=443'],
  'patient-monitor': ['dhcp.option60=MonitorOS 5', 'mdns.service=_hl7._tcp', 'tcp.connect=2575'],
  printer: ['mdns.service=_ipp._tcp', 'ssdp.nt=urn:schemas-upnp-org:device:Printer:1', 'tcp.accept=631'],
};
const SEQUENCES: Record<(typeof CLASSES)[number], string[]> = {
  'infusion-pump': ['>dhcp9', '<dhcp9', '>dns6', '<dns7', '>tcp6', '>tls8'],
  'patient-monitor': ['>dhcp9', '<dhcp9', '>mdns8', '>tcp6', '>tcp7', '>tcp7'],
  printer: ['>mdns8', '>ssdp9', '>ssdp9', '<tcp6', '>tcp6', '>http9'],
};

/** `n` examples of each class; ids `<class>-<i>`. */
export function syntheticSet(n: number, seed = 1): LabelledFeatures[] {
  const random = seededRandom(seed);
  const out: LabelledFeatures[] = [];
  CLASSES.forEach((label, k) => {
    for (let i = 0; i < n; i++) {
      const features: FeatureRecord = {
        tokens: [...TOKENS[label], 'ip.ttl=64', `noise=${Math.floor(random() * 1e6)}`],
        numbers: { 'sent.size.mean': 100 * (k + 1) + random() * 20, 'sent.packets': 10 + Math.floor(random() * 5) },
        sequence: SEQUENCES[label].filter(() => random() > 0.1),
      };
      out.push({ id: `${label}-${i}`, label, features });
    }
  });
  return out;
}
