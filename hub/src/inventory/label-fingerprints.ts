/**
 * Analyst labels as learned fingerprints. A label names the device it was put on outright; its
 * fingerprint — the device's model-level signals, never its addresses or names — names the devices
 * that look like it. Another unit of the same model has another MAC, IP, host name and DHCP client
 * id, but sends the same DHCP vendor class, parameter list and option order, the same SYN and the
 * same TLS hello; those are what two fingerprints are compared on.
 */
import { ATTRIBUTES, scrub as scrubUnitIdentifiers, type Attribute, type Conclusion, type Evidence, type LearnedPredictor, type Profile, type Signal } from '@wardsight/classify';
import type { DeviceKey } from '@wardsight/protocol';
import type { HubStore, LabelRecord } from '../store/hub-store.js';
import { signalsOf } from './classification.js';

/** Model id: evidence of a look-alike's conclusion reads `learned:analyst-labels`. */
export const ANALYST_LABELS_ID = 'analyst-labels';
/** Rule of the evidence for a label on the device it was put on. */
export const OWN_LABEL_RULE = 'analyst-label';
/** Signal name of the evidence that cites a label (who made it, when, on which device). */
export const LABEL_SIGNAL = 'analyst.label';

/** Attributes an analyst may label: a host name names one unit, so it never generalises. */
export type LabelAttribute = Exclude<Attribute, 'hostname'>;
export const LABEL_ATTRIBUTES: readonly LabelAttribute[] = ATTRIBUTES.filter((a): a is LabelAttribute => a !== 'hostname');
export const isLabelAttribute = (name: string): name is LabelAttribute => (LABEL_ATTRIBUTES as readonly string[]).includes(name);

export const defaults = {
  /** Weighted Jaccard similarity a device needs to take a labelled device's labels. */
  threshold: 0.6,
  /** Shared (signal, value) pairs it needs as well. */
  minShared: 3,
  /** Confidence of a look-alike's conclusion at similarity 1; it scales with the similarity. */
  maxConfidence: 0.95,
  /** Confidence of a label on the device it was put on. */
  ownConfidence: 0.99,
};
export type LabelFingerprintOptions = typeof defaults;

const clamp = (x: number, low: number, high: number, fallback: number): number => (Number.isFinite(x) ? Math.min(high, Math.max(low, x)) : fallback);

function bounded(given: Partial<LabelFingerprintOptions>): LabelFingerprintOptions {
  const o = { ...defaults, ...given };
  return {
    // Below one half, most of what two devices show differs: that is a maker or an OS, not a model.
    threshold: clamp(o.threshold, 0.5, 1, defaults.threshold),
    // Two pairs are a maker's OUI and an OS's SYN signature: never enough to name a model.
    minShared: Math.floor(clamp(o.minShared, 3, 64, defaults.minShared)),
    // A look-alike is never as sure as the labelled device itself.
    maxConfidence: clamp(o.maxConfidence, 0.5, 0.95, defaults.maxConfidence),
    // The classifier caps every belief at 0.99 (MAX_SUPPORT).
    ownConfidence: clamp(o.ownConfidence, 0.5, 0.99, defaults.ownConfidence),
  };
}

/**
 * The only signals a fingerprint holds, with how much a match on each says about the model: a
 * maker's OUI or an ALPN list is shared by many models (low), an SNMP sysObjectID or a DICOM
 * implementation UID by one product line (high). `text` values pass through `scrub` first.
 * Everything else is never read: addresses, host, instance and AE names, DHCP client ids, chassis
 * ids, equipment ids and UDIs, certificate subjects, SNIs, DNS queries, hosts, URLs, USNs and any
 * TXT key but the model-naming ones — each names a unit or where it is, not what it is.
 */
const FINGERPRINT_SIGNALS: ReadonlyMap<string, { weight: number; text: boolean }> = new Map(
  (
    [
      ['oui', 0.5, true],
      ['dhcp.option55', 1.5, false],
      ['dhcp.option57', 0.5, false],
      ['dhcp.option60', 2, true],
      ['dhcp.optionOrder', 1.5, false],
      ['dhcpv6.vendorClass', 2, true],
      ['dhcpv6.oro', 1.5, false],
      ['dhcpv6.enterprise', 1, false],
      ['tcp.synSignature', 1, false],
      ['tls.ja4', 1.5, false],
      ['tls.alpn', 0.5, false],
      ['http.userAgent', 2, true],
      ['http.server', 1.5, true],
      ['ssdp.server', 1.5, true],
      ['ssdp.nt', 1, true],
      ['mdns.service', 1, true],
      ['wsd.types', 1, true],
      ['dicom.implementationClassUid', 3, false],
      ['dicom.implementationVersion', 3, true],
      ['dicom.abstractSyntax', 0.5, false],
      ['hl7.sendingApplication', 2, true],
      ['hl7.messageType', 0.5, false],
      ['hl7.version', 0.5, false],
      ['snmp.sysObjectID', 3, false],
      ['snmp.sysDescr', 2, true],
      ['cdp.platform', 3, true],
      ['cdp.softwareVersion', 1.5, true],
      ['lldp.systemDescription', 2, true],
      ['ssh.banner', 1.5, true],
      ['ftp.banner', 1.5, true],
      ['smtp.banner', 1.5, true],
      ['telnet.banner', 1.5, true],
      ['mdns.txt.md', 3, true],
      ['mdns.txt.model', 3, true],
      ['mdns.txt.ty', 3, true],
      ['mdns.txt.usb_MDL', 3, true],
      ['mdns.txt.product', 3, true],
    ] as const
  ).map(([signal, weight, text]) => [signal, { weight, text }]),
);

const PLACEHOLDER = /<(?:uuid|mac|ip|id|n)>/g;
/** Letters and digits a scrubbed text needs besides its placeholders to say anything of a model (`uuid:<uuid>` does not). */
const MIN_SUBSTANCE = 6;
const lettersAndDigits = (t: string): number => t.replace(/[^\p{L}\p{N}]/gu, '').length;

/**
 * Text with unit identifiers replaced by placeholders, so two units' `Acme IV-7 SN 4711023` read
 * alike; null when little but identifiers was left (an SSDP `uuid:…` NT), which says nothing of the model.
 */
export function scrub(text: string): string | null {
  // The same placeholders as the learned fingerprints (`@wardsight/classify`), cut to the same length.
  const t = scrubUnitIdentifiers(text.trim());
  const bare = t.replace(PLACEHOLDER, '');
  return bare !== t && lettersAndDigits(bare) < MIN_SUBSTANCE ? null : t;
}

export interface FingerprintPair {
  signal: string;
  value: string;
  weight: number;
}
/** A device's model-level (signal, value) pairs, by `signal NUL value`. */
export type Fingerprint = ReadonlyMap<string, FingerprintPair>;

export function fingerprintOf(signals: readonly Signal[]): Fingerprint {
  const pairs = new Map<string, FingerprintPair>();
  for (const { signal, value } of signals) {
    const kind = FINGERPRINT_SIGNALS.get(signal);
    if (!kind) continue;
    const shown = kind.text ? scrub(value) : value.trim();
    if (!shown) continue;
    pairs.set(`${signal}\u0000${shown}`, { signal, value: shown, weight: kind.weight });
  }
  return pairs;
}

const totalWeight = (fingerprint: Fingerprint): number => [...fingerprint.values()].reduce((sum, p) => sum + p.weight, 0);

/** Weighted Jaccard similarity: the weight of the pairs both hold over the weight of the pairs either holds. */
export function similarity(a: Fingerprint, b: Fingerprint): { similarity: number; shared: FingerprintPair[] } {
  const shared = [...a].filter(([key]) => b.has(key)).map(([, pair]) => pair);
  const both = shared.reduce((sum, p) => sum + p.weight, 0);
  const either = totalWeight(a) + totalWeight(b) - both;
  return { similarity: either > 0 ? both / either : 0, shared };
}

const stampOf = (fingerprint: Fingerprint): string => [...fingerprint.keys()].sort().join('\u0001');
const round = (x: number): number => Math.round(x * 1000) / 1000;

interface LabelledDevice {
  labels: Map<LabelAttribute, LabelRecord>;
  fingerprint: Fingerprint;
  stamp: string;
}

interface LookAlike {
  attribute: LabelAttribute;
  label: LabelRecord;
  similarity: number;
  shared: FingerprintPair[];
}

/**
 * Every label the hub holds, each with its device's fingerprint; as a `LearnedPredictor` it names
 * the look-alikes of labelled devices. `version` changes whenever what it would conclude may have.
 */
export class AnalystLabels implements LearnedPredictor {
  readonly id = ANALYST_LABELS_ID;
  private readonly options: LabelFingerprintOptions;
  private readonly devices = new Map<DeviceKey, LabelledDevice>();
  private changes = 0;

  constructor(options: Partial<LabelFingerprintOptions> = {}) {
    this.options = bounded(options);
  }

  /** The store's labels, each with the fingerprint of its device as the store has it now. */
  static async load(store: HubStore, options: Partial<LabelFingerprintOptions> = {}): Promise<AnalystLabels> {
    const labels = new AnalystLabels(options);
    for (const label of await store.listLabels()) {
      const device = labels.devices.has(label.deviceKey) ? undefined : await store.getDevice(label.deviceKey);
      labels.set(label, device ? signalsOf(device) : undefined);
    }
    return labels;
  }

  get version(): number {
    return this.changes;
  }

  /** Adds or replaces a label; `signals` are its device's, for the fingerprint (kept if omitted). */
  set(label: LabelRecord, signals?: readonly Signal[]): void {
    // A label of an attribute this version does not know (written by a later one) is left alone.
    if (!isLabelAttribute(label.attribute)) return;
    let labelled = this.devices.get(label.deviceKey);
    if (!labelled) {
      labelled = { labels: new Map(), fingerprint: new Map(), stamp: '' };
      this.devices.set(label.deviceKey, labelled);
    }
    labelled.labels.set(label.attribute, label);
    if (signals) this.fingerprint(labelled, signals);
    this.changes += 1;
  }

  remove(deviceKey: DeviceKey, attribute: string): void {
    const labelled = this.devices.get(deviceKey);
    if (!labelled || !isLabelAttribute(attribute) || !labelled.labels.delete(attribute)) return;
    if (labelled.labels.size === 0) this.devices.delete(deviceKey);
    this.changes += 1;
  }

  /** Keeps a labelled device's fingerprint current as its facts change; others are ignored. */
  refresh(deviceKey: DeviceKey, signals: readonly Signal[]): void {
    const labelled = this.devices.get(deviceKey);
    if (labelled && this.fingerprint(labelled, signals)) this.changes += 1;
  }

  labelsOf(deviceKey: DeviceKey): LabelRecord[] {
    return [...(this.devices.get(deviceKey)?.labels.values() ?? [])];
  }

  /** What the labels say of a device with these signals, from every labelled device it looks like. */
  predict(signals: readonly Signal[]): Partial<Record<Attribute, readonly Conclusion[]>> {
    return this.lookAlikes(signals, null);
  }

  /** This model as it serves one device: a labelled device is no look-alike of itself. */
  predictorFor(deviceKey: DeviceKey): LearnedPredictor {
    return { id: this.id, predict: (signals) => this.lookAlikes(signals, deviceKey) };
  }

  /**
   * The profile with the device's own labels as the answer: an analyst's statement is not weighed
   * against the rules. Conclusions that agree add their evidence to it; others stay as candidates.
   */
  withOwnLabels(deviceKey: DeviceKey, profile: Profile): Profile {
    const labelled = this.devices.get(deviceKey);
    if (!labelled) return profile;
    const amended = { ...profile };
    for (const [attribute, label] of labelled.labels) {
      const confidence = this.options.ownConfidence;
      const evidence: Evidence[] = [{ signal: LABEL_SIGNAL, value: `${label.by} at ${label.at}`, rule: OWN_LABEL_RULE, weight: confidence }];
      const same = (c: Conclusion): boolean => c.value.toLowerCase() === label.value.toLowerCase();
      const { candidates } = profile[attribute];
      const own: Conclusion = { value: label.value, confidence, evidence: [...evidence, ...candidates.filter(same).flatMap((c) => c.evidence)] };
      amended[attribute] = { best: own, candidates: [own, ...candidates.filter((c) => !same(c))] };
    }
    return amended;
  }

  /** Whether the fingerprint changed. */
  private fingerprint(labelled: LabelledDevice, signals: readonly Signal[]): boolean {
    const fingerprint = fingerprintOf(signals);
    const stamp = stampOf(fingerprint);
    if (stamp === labelled.stamp) return false;
    labelled.fingerprint = fingerprint;
    labelled.stamp = stamp;
    return true;
  }

  private lookAlikes(signals: readonly Signal[], except: DeviceKey | null): Partial<Record<Attribute, readonly Conclusion[]>> {
    const { threshold, minShared, maxConfidence } = this.options;
    const fingerprint = fingerprintOf(signals);
    if (fingerprint.size < minShared) return {};
    // The closest labelled device per attribute and value (values differing in case are one).
    const closest = new Map<string, LookAlike>();
    for (const [deviceKey, labelled] of this.devices) {
      if (deviceKey === except) continue;
      const match = similarity(fingerprint, labelled.fingerprint);
      if (match.shared.length < minShared || match.similarity < threshold) continue;
      for (const [attribute, label] of labelled.labels) {
        const key = `${attribute}\u0000${label.value.toLowerCase()}`;
        const kept = closest.get(key);
        if (!kept || match.similarity > kept.similarity) closest.set(key, { attribute, label, ...match });
      }
    }
    const rule = `learned:${this.id}`;
    const conclusions: Partial<Record<Attribute, Conclusion[]>> = {};
    for (const { attribute, label, similarity: s, shared } of closest.values()) {
      const confidence = round(maxConfidence * s);
      const evidence: Evidence[] = shared.map((p) => ({ signal: p.signal, value: p.value, rule, weight: confidence }));
      evidence.push({ signal: LABEL_SIGNAL, value: `looks like ${label.deviceKey}, labelled by ${label.by} at ${label.at}`, rule, weight: confidence });
      (conclusions[attribute] ??= []).push({ value: label.value, confidence, evidence });
    }
    return conclusions;
  }
}
