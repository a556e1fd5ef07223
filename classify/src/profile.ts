/**
 * What classification takes in (signals: what a sensor saw a device say or do) and what it gives
 * back (a profile: per attribute, the best-supported value or an honest unknown, with every
 * candidate and the evidence behind it).
 */

/** One thing a sensor saw of a device, named as the sensor names it (see `signals.ts`). */
export interface Signal {
  /** Signal name, e.g. `dhcp.option60`, `dicom.implementationClassUid`, `mdns.txt.ty`. */
  signal: string;
  /** The raw value as seen on the wire (text as sent, UIDs dotted, lists comma-joined). */
  value: string;
  /**
   * How sure the sensor is that this observation belongs to this device (attribution: e.g. an
   * HL7 message matched to the device through an IP-to-MAC binding). 0–1; absent means 1. It is
   * not the sensor's opinion of what the value implies: that is the rules' job.
   */
  confidence?: number;
  sensorId?: string;
  /** ISO 8601 time the sensor last saw it. */
  seenAt?: string;
}

/** What a profile says about a device. */
export type Attribute = 'vendor' | 'model' | 'category' | 'os' | 'osVersion' | 'softwareVersion' | 'hostname';

export const ATTRIBUTES: readonly Attribute[] = ['vendor', 'model', 'category', 'os', 'osVersion', 'softwareVersion', 'hostname'];

/** One signal that supports a value, through one rule or learned model. */
export interface Evidence {
  signal: string;
  value: string;
  /** Rule id, or `learned:<model id>`. */
  rule: string;
  /** What this piece of evidence contributed on its own (rule confidence × signal confidence), 0–1. */
  weight: number;
}

/** A value for one attribute and how well the evidence supports it. */
export interface Conclusion {
  value: string;
  /** Belief in this value after combining every source and weighing conflicting values, 0–0.99. */
  confidence: number;
  /** Every signal and rule that supports the value. */
  evidence: Evidence[];
}

export interface AttributeProfile {
  /** The value to show, or null (unknown) when no value is supported well enough. */
  best: Conclusion | null;
  /** Every value with any support, strongest first. */
  candidates: Conclusion[];
}

export type Profile = Record<Attribute, AttributeProfile>;

/**
 * A learned fingerprint model. Its conclusions join the rule evidence as one more independent
 * source, tagged `learned:<id>`; their confidence is the model's own calibrated probability.
 */
export interface LearnedPredictor {
  /** Model id, e.g. `dhcp-knn-2026.05`. */
  readonly id: string;
  predict(signals: readonly Signal[]): Partial<Record<Attribute, readonly Conclusion[]>>;
}
