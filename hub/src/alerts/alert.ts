/**
 * An alert: something odd about one device, with the evidence for it, its severity and where it is
 * in its life (new → acknowledged → resolved). Alerts are deduplicated on `dedupKey`: while one is
 * open (new or acknowledged), the same finding again raises its count and last time, not a new alert.
 */
import type { DeviceKey } from '@wardsight/protocol';

/** What departed from normal. */
export const ANOMALY_KINDS = [
  /** A destination outside the hospital's networks that this device never talked to before. */
  'new-external-destination',
  /** A port or transport the device answers on that it did not serve during its baseline. */
  'new-listening-port',
  /** An application protocol never seen for any unit of this model. */
  'new-protocol-for-model',
  /** Bytes or packets in an hour far outside the device's baseline. */
  'volume-outside-baseline',
  /** The device on a floor where neither it nor any unit of its model was seen in the baseline. */
  'unexpected-floor',
  /** A device never seen before, on a clinical segment, after the learning window. */
  'new-device-clinical-segment',
  /** HL7 or DICOM to or from a peer the device never used for it. */
  'clinical-protocol-unknown-peer',
  /** Many addresses or ports contacted in a short time. */
  'scanning',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATES = ['new', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** A finding handed to the alert book: what a detector saw, once. */
export interface AlertFinding {
  kind: AnomalyKind;
  severity: Severity;
  device: DeviceKey;
  /** The sensor whose report showed it, where one did. */
  sensorId: string | null;
  /** One line a person reads first, e.g. "new internet destination 198.51.100.7:443/tcp". */
  title: string;
  /** The facts behind it, as name → value (peer, port, baseline figure, observed figure, …). */
  evidence: Record<string, string | number | boolean>;
  /** When it happened, in capture time (ISO 8601). */
  at: string;
  /**
   * What makes two findings the same alert (kind, device and the specific peer or port, say); the
   * book prefixes it with kind and device, so a detector gives only the specific part, or ''.
   */
  dedup: string;
}

export interface Alert {
  /** Stable id, sortable by creation: `al-<time>-<counter>`. */
  id: string;
  kind: AnomalyKind;
  severity: Severity;
  device: DeviceKey;
  sensorId: string | null;
  title: string;
  evidence: Record<string, string | number | boolean>;
  dedupKey: string;
  /** Capture time of the first and latest finding. */
  firstAt: string;
  lastAt: string;
  /** Findings folded into this alert. */
  count: number;
  state: AlertState;
  /** Who moved it to its state and when (hub clock); null while new. */
  stateBy: string | null;
  stateAt: string | null;
  /** When the hub raised it (hub clock). */
  raisedAt: string;
}
