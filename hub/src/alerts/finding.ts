/**
 * The checks a finding passes before it becomes (part of) an alert, and how a repeat folds into
 * the open alert it matches. A detector's bug must not put an alert in the book that the API, the
 * SIEM or a person then cannot read: a bad finding is refused whole, with what is wrong with it.
 */
import { DeviceKeySchema } from '@wardsight/protocol';
import { HubError } from '../errors.js';
import { ANOMALY_KINDS, SEVERITIES, type Alert, type AlertFinding, type Severity } from './alert.js';

export const findingLimits = {
  titleMax: 200,
  dedupMax: 200,
  evidenceEntries: 32,
  evidenceNameMax: 64,
  evidenceValueMax: 1024,
} as const;

const DEVICE_KEY = new RegExp(DeviceKeySchema.pattern ?? '^$');
const SENSOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** ISO 8601 date-time with a zone, as `Date.toISOString()` and the wire contract write it. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Control characters would break a syslog line or a table cell; a title is one line. */
const CONTROL = /\p{Cc}/u;

function refuse(detail: string): never {
  throw new HubError('HUB_ERR_ALERT_FINDING', detail);
}

/** Refuses a finding the book cannot keep, naming the first thing wrong with it. */
export function checkFinding(finding: AlertFinding): void {
  if (typeof finding !== 'object' || finding === null) refuse('a finding is an object');
  if (!(ANOMALY_KINDS as readonly unknown[]).includes(finding.kind)) refuse(`kind ${JSON.stringify(finding.kind)} is not one of ${ANOMALY_KINDS.join(', ')}`);
  if (!(SEVERITIES as readonly unknown[]).includes(finding.severity)) refuse(`severity ${JSON.stringify(finding.severity)} is not one of ${SEVERITIES.join(', ')}`);
  if (typeof finding.device !== 'string' || !DEVICE_KEY.test(finding.device)) refuse(`device ${JSON.stringify(finding.device)} is not a device key (mac:… or ip:…)`);
  if (finding.sensorId !== null && (typeof finding.sensorId !== 'string' || !SENSOR_ID.test(finding.sensorId))) refuse(`sensorId ${JSON.stringify(finding.sensorId)} is not a sensor id or null`);
  if (typeof finding.title !== 'string' || finding.title.trim() === '' || finding.title.length > findingLimits.titleMax || CONTROL.test(finding.title)) {
    refuse(`title must be one line of 1 to ${findingLimits.titleMax} characters`);
  }
  if (typeof finding.dedup !== 'string' || finding.dedup.length > findingLimits.dedupMax) refuse(`dedup must be a string of at most ${findingLimits.dedupMax} characters ('' when the kind and device say it all)`);
  if (typeof finding.at !== 'string' || !ISO_TIME.test(finding.at) || Number.isNaN(Date.parse(finding.at))) refuse(`at ${JSON.stringify(finding.at)} is not an ISO 8601 time`);
  checkEvidence(finding.evidence);
}

function checkEvidence(evidence: unknown): void {
  if (typeof evidence !== 'object' || evidence === null || Array.isArray(evidence)) refuse('evidence is an object of name → value');
  const entries = Object.entries(evidence);
  if (entries.length > findingLimits.evidenceEntries) refuse(`evidence has ${entries.length} entries; at most ${findingLimits.evidenceEntries}`);
  for (const [name, value] of entries) {
    if (name === '' || name.length > findingLimits.evidenceNameMax || CONTROL.test(name)) refuse(`evidence name ${JSON.stringify(name)} is not acceptable`);
    const ok =
      (typeof value === 'string' && value.length <= findingLimits.evidenceValueMax) || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
    if (!ok) refuse(`evidence ${name} must be a string of at most ${findingLimits.evidenceValueMax} characters, a finite number or a boolean`);
  }
}

/** Kind and device before the detector's part: two devices or two kinds never share an alert. */
export function dedupKey(finding: AlertFinding): string {
  return `${finding.kind}|${finding.device}|${finding.dedup}`;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** The open alert with one more finding folded in: count, capture-time span and the higher severity. */
export function foldFinding(alert: Alert, finding: AlertFinding): Alert {
  const at = new Date(finding.at).toISOString();
  return {
    ...alert,
    count: alert.count + 1,
    // Findings may arrive out of capture order (a sensor resending its outbox): keep the span.
    firstAt: at < alert.firstAt ? at : alert.firstAt,
    lastAt: at > alert.lastAt ? at : alert.lastAt,
    severity: rank(finding.severity) > rank(alert.severity) ? finding.severity : alert.severity,
  };
}
