import { describe, expect, it } from 'vitest';
import type { AckCommand, BehaviourBatch, Health, Observation, ObservationBatch, Status } from '../src/schemas.js';
import { decodeMessage, encodeMessage, validateMessage, type ValidatedKind } from '../src/validate.js';

const observation: Observation = {
  device: 'mac:00:09:fb:12:34:56',
  attribute: 'vendor',
  value: 'Philips',
  signal: 'oui',
  evidence: '00:09:fb',
  confidence: 0.9,
  firstSeen: '2024-05-01T10:00:00.000Z',
  lastSeen: '2024-05-01T10:05:00.000Z',
};
const envelope = { v: 1 as const, sensorId: 'floor2', seq: 7, sentAt: '2024-05-01T10:05:01.000Z' };
const location = { site: 'St Mary', floor: '2' };
const batch: ObservationBatch = { ...envelope, observations: [observation] };
const status: Status = { ...envelope, state: 'online', location, version: '0.1.0' };
const health: Health = {
  ...envelope,
  version: '0.1.0',
  uptimeS: 12.5,
  memRssMB: 80,
  peakRssMB: 96,
  cpuPct: null,
  devices: 3,
  outboxDepth: 0,
  capture: { packets: 100, received: 100, dropped: 0, ifDropped: 0, malformed: 1, queueDrops: 0, lost: 0, restarts: 0 },
  location,
};
const ack: AckCommand = {
  v: 1,
  command: 'ack',
  sensorId: 'floor2',
  sentAt: '2024-05-01T10:05:02.000Z',
  stored: [7, 8],
  rejected: [{ seq: 9, reason: 'schema', detail: '/seq must be >= 1' }],
};
const behaviour: BehaviourBatch = {
  ...envelope,
  intervalStart: '2024-05-01T10:00:00.000Z',
  intervalEnd: '2024-05-01T10:05:00.000Z',
  devices: [
    {
      device: 'mac:00:09:fb:12:34:56',
      addresses: ['10.10.2.21'],
      firstSeen: '2024-05-01T10:00:12.000Z',
      lastSeen: '2024-05-01T10:04:40.000Z',
      packets: 14,
      bytes: 4200,
      peers: [{ address: '10.20.0.5', port: 2575, transport: 'tcp', role: 'client', app: 'hl7', packets: 12, bytes: 4000 }],
      peersOmitted: 0,
    },
  ],
};
const valid: Record<ValidatedKind, object> = { observations: batch, behaviour, status, health, commands: ack };
const kinds = Object.keys(valid) as ValidatedKind[];

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const batchWith = (change: Partial<Observation> | Record<string, unknown>): unknown => ({ ...batch, observations: [{ ...observation, ...change }] });

/** Decodes an observation batch that must fail schema validation and returns its detail. */
function schemaDetail(value: unknown, kind: ValidatedKind = 'observations'): string {
  const result = decodeMessage(kind, json(value));
  if (result.ok) throw new Error(`expected a schema failure for ${JSON.stringify(value)}`);
  expect(result.reason).toBe('schema');
  return result.detail;
}

describe('decodeMessage: valid messages', () => {
  it.each(kinds)('accepts a valid %s message and returns it unchanged', (kind) => {
    const message = valid[kind] as ObservationBatch;
    expect(decodeMessage(kind, encodeMessage(message))).toEqual({ ok: true, message });
  });

  it('reads only the payload\'s own bytes of a larger buffer', () => {
    const bytes = Buffer.concat([Buffer.from('garbage{'), json(batch), Buffer.from('}trailer')]);
    const payload = bytes.subarray(8, bytes.length - 8);
    expect(decodeMessage('observations', payload)).toEqual({ ok: true, message: batch });
  });

  it('accepts health with or without a fragment count (older sensors send none), and refuses a negative one', () => {
    const withFragments = { ...health, capture: { ...health.capture, fragments: 12 } };
    expect(decodeMessage('health', json(withFragments))).toEqual({ ok: true, message: withFragments });
    expect(decodeMessage('health', json(health)).ok).toBe(true);
    expect(decodeMessage('health', json({ ...health, capture: { ...health.capture, fragments: -1 } })).ok).toBe(false);
  });

  it('accepts confidence at both ends of [0, 1], a batch of 1000 and ip-keyed devices', () => {
    for (const confidence of [0, 1]) expect(decodeMessage('observations', json(batchWith({ confidence }))).ok).toBe(true);
    const full = { ...batch, observations: Array.from({ length: 1000 }, () => observation) };
    expect(decodeMessage('observations', json(full)).ok).toBe(true);
    for (const device of ['ip:10.20.0.5', 'ip:fe80::1', 'ip:2001:db8::42']) {
      expect(decodeMessage('observations', json(batchWith({ device }))).ok, device).toBe(true);
    }
  });
});

describe('decodeMessage: payloads that are not JSON', () => {
  it.each([
    ['text', Buffer.from('online')],
    ['truncated JSON', json(batch).subarray(0, 40)],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d])],
    ['an empty payload', new Uint8Array(0)],
  ])('refuses %s as not-json without a seq', (_name, payload) => {
    const result = decodeMessage('observations', payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('not-json');
    expect(result.detail.length).toBeGreaterThan(0);
    expect(result).not.toHaveProperty('seq');
  });
});

describe('decodeMessage: schema failures name the offending field', () => {
  it.each(kinds.flatMap((kind) => Object.keys(valid[kind]).map((field) => [kind, field] as const)))(
    '%s without %s is refused',
    (kind, field) => {
      const { [field]: _dropped, ...rest } = valid[kind] as Record<string, unknown>;
      expect(schemaDetail(rest, kind)).toContain(`must have required property '${field}'`);
    },
  );

  it.each(Object.keys(observation))('an observation without %s is refused at its index', (field) => {
    const { [field]: _dropped, ...rest } = observation as unknown as Record<string, unknown>;
    expect(schemaDetail({ ...batch, observations: [observation, rest] })).toBe(`/observations/1 must have required property '${field}'`);
  });

  it('refuses a contract version other than 1', () => {
    for (const v of [2, 0, '1', null]) expect(schemaDetail({ ...batch, v }), String(v)).toMatch(/^\/v /);
  });

  it('refuses seq 0, negative and non-integer seq, and gives no seq back with the failure', () => {
    for (const seq of [0, -3, 1.5, '7']) {
      const result = decodeMessage('observations', json({ ...batch, seq }));
      expect(result.ok, String(seq)).toBe(false);
      if (result.ok) continue;
      expect(result.detail).toMatch(/^\/seq /);
      expect(result).not.toHaveProperty('seq');
    }
  });

  it('gives back the message\'s own seq when the failure is elsewhere, so a refusal can name it', () => {
    const result = decodeMessage('observations', json(batchWith({ confidence: 2 })));
    expect(result).toMatchObject({ ok: false, reason: 'schema', seq: 7 });
  });

  it('refuses device keys that are not a lower-case six-byte MAC or an ip: address', () => {
    for (const device of [
      'mac:00:09:FB:12:34:56',
      'mac:00:09:fb:12:34',
      'mac:0009fb123456',
      '00:09:fb:12:34:56',
      'ip:',
      'ip:FE80::1',
      'ip:pump-7.ward.example',
      'ip:10.20.0.5/24',
      'host:pump-7',
    ]) {
      expect(schemaDetail(batchWith({ device })), device).toMatch(/^\/observations\/0\/device must match pattern/);
    }
  });

  it('refuses confidence outside [0, 1]', () => {
    expect(schemaDetail(batchWith({ confidence: 1.01 }))).toBe('/observations/0/confidence must be <= 1');
    expect(schemaDetail(batchWith({ confidence: -0.01 }))).toBe('/observations/0/confidence must be >= 0');
  });

  it('refuses properties the contract does not declare, at the root and in an observation', () => {
    expect(schemaDetail({ ...batch, priority: 'high' })).toBe("(root) has an unexpected property 'priority'");
    expect(schemaDetail(batchWith({ risk: 9 }))).toBe("/observations/0 has an unexpected property 'risk'");
    expect(schemaDetail({ ...status, uptimeS: 3 }, 'status')).toBe("(root) has an unexpected property 'uptimeS'");
  });

  it('refuses an empty batch and a batch of 1001 observations', () => {
    expect(schemaDetail({ ...batch, observations: [] })).toBe('/observations must NOT have fewer than 1 items');
    const tooMany = { ...batch, observations: Array.from({ length: 1001 }, () => observation) };
    expect(schemaDetail(tooMany)).toBe('/observations must NOT have more than 1000 items');
  });

  it('refuses timestamps that are not RFC 3339 date-times', () => {
    expect(schemaDetail({ ...batch, sentAt: '2024-05-01 10:05' })).toMatch(/^\/sentAt must match format "date-time"/);
    expect(schemaDetail(batchWith({ lastSeen: 'yesterday' }))).toMatch(/^\/observations\/0\/lastSeen /);
  });

  it('checks each kind against its own schema', () => {
    expect(schemaDetail({ ...status, state: 'rebooting' }, 'status')).toMatch(/^\/state /);
    expect(schemaDetail({ ...health, devices: -1 }, 'health')).toBe('/devices must be >= 0');
    expect(schemaDetail({ ...health, capture: { ...health.capture, lost: 0.5 } }, 'health')).toBe('/capture/lost must be integer');
    expect(schemaDetail({ ...ack, stored: [0] }, 'commands')).toBe('/stored/0 must be >= 1');
    // A status is not an observation batch, even though both carry the envelope.
    expect(schemaDetail(status, 'observations')).toContain("'observations'");
  });

  it('refuses JSON that is not an object', () => {
    for (const value of [42, 'online', null, [batch]]) {
      expect(validateMessage('observations', value), JSON.stringify(value)).toMatchObject({ ok: false, reason: 'schema', detail: '(root) must be object' });
    }
  });
});

describe('decodeMessage: text encoding', () => {
  it('refuses invalid UTF-8 inside a string rather than repairing it', () => {
    const text = JSON.stringify({ v: 1, sensorId: 'ward-1', seq: 1, sentAt: '2026-01-01T08:00:00.000Z', state: 'online', location: { site: 's', floor: '1' }, version: 'x' });
    const at = text.indexOf('"x"') + 1;
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at + 1))]);
    const result = decodeMessage('status', bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('not-json');
  });
});

describe('decodeMessage: behaviour summaries', () => {
  const device = behaviour.devices[0]!;
  const withDevice = (change: Record<string, unknown>): unknown => ({ ...behaviour, devices: [{ ...device, ...change }] });
  const withPeer = (change: Record<string, unknown>): unknown => withDevice({ peers: [{ ...device.peers[0], ...change }] });

  it('refuses a summary without devices, a port out of range, an unknown role or transport, and an extra field', () => {
    expect(schemaDetail({ ...behaviour, devices: [] }, 'behaviour')).toContain('/devices');
    expect(schemaDetail(withPeer({ port: 70_000 }), 'behaviour')).toContain('/devices/0/peers/0/port');
    expect(schemaDetail(withPeer({ role: 'listener' }), 'behaviour')).toContain('/devices/0/peers/0/role');
    expect(schemaDetail(withPeer({ transport: 'sctp' }), 'behaviour')).toContain('/devices/0/peers/0/transport');
    expect(schemaDetail(withDevice({ flows: 3 }), 'behaviour')).toContain("unexpected property 'flows'");
  });

  it('bounds the peers of one device and the devices of one message', () => {
    expect(decodeMessage('behaviour', json(withDevice({ peers: Array.from({ length: 256 }, () => device.peers[0]) }))).ok).toBe(true);
    expect(schemaDetail(withDevice({ peers: Array.from({ length: 257 }, () => device.peers[0]) }), 'behaviour')).toContain('/devices/0/peers');
    expect(schemaDetail({ ...behaviour, devices: Array.from({ length: 501 }, () => device) }, 'behaviour')).toContain('/devices');
  });
});
