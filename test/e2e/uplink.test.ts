/**
 * The sensor's outbox empties only when the hub says it has stored a message, not when the broker
 * acknowledges it. A real broker over TLS stands between a real sensor publisher and a test
 * subscriber holding the hub's certificate, which decides when to confirm.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { createMetrics, startBroker, type EmbeddedBroker } from '@wardsight/hub';
import { Publisher, SensorStore } from '@wardsight/edge-core';
import { ensureCa, ensureHubClientIdentity, ensureHubServerIdentity, issueSensorIdentity } from '@wardsight/provisioning';
import { encodeMessage, topicFor, type AckCommand, type ObservationBatch } from '@wardsight/protocol';
import { eventually, quietLogger, tempDir } from '@wardsight/test';

const SENSOR = 'ward-5';
const at = '2026-01-01T08:00:00.000Z';
const batch = (seq: number): string =>
  encodeMessage({
    v: 1,
    sensorId: SENSOR,
    seq,
    sentAt: at,
    observations: [{ device: 'mac:00:09:fb:00:00:05', attribute: 'hostname', value: `mon-${seq}`, signal: 'dhcp.option12', evidence: 'x', confidence: 0.9, firstSeen: at, lastSeen: at }],
  } satisfies ObservationBatch).toString();

describe('outbox entries leave only on the hub\'s word', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let broker: EmbeddedBroker;
  let hubSide: MqttClient;
  let store: SensorStore;
  let publisher: Publisher;
  const received: number[] = [];
  const refused: string[] = [];
  let seqs: number[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    const ca = await ensureCa(dir.path);
    const server = await ensureHubServerIdentity(dir.path);
    broker = await startBroker({ host: '127.0.0.1', port: 0, tls: { key: server.pem.key, cert: server.pem.cert, ca: ca.certPem }, sensorAccess: () => ({ allowed: true }) }, createMetrics(), quietLogger());
    broker.openToSensors();
    const url = `mqtts://127.0.0.1:${broker.port}`;
    const hubId = await ensureHubClientIdentity(dir.path);
    hubSide = await mqtt.connectAsync(url, { clientId: 'test-hub', protocolVersion: 4, ca: ca.certPem, cert: hubId.pem.cert, key: hubId.pem.key, reconnectPeriod: 0 });
    hubSide.on('message', (_t, payload) => received.push((JSON.parse(payload.toString()) as { seq: number }).seq));
    await hubSide.subscribeAsync(topicFor('+', 'observations'), { qos: 1 });

    store = await SensorStore.open(join(dir.path, 'sensor'));
    const entries = await store.enqueue([1, 2, 3].map(() => ({ topic: topicFor(SENSOR, 'observations'), build: batch })));
    seqs = entries.map((e) => e.seq);
    const identity = await issueSensorIdentity(dir.path, SENSOR, join(dir.path, 'tls'));
    publisher = new Publisher(store, {
      sensorId: SENSOR,
      url,
      ca: identity.pem.ca,
      cert: identity.pem.cert,
      key: identity.pem.key,
      location: { site: 'Test', floor: '5' },
      version: 'test',
      confirmTimeoutMs: 1000,
      onRejected: (seq, reason) => refused.push(`${seq}:${reason}`),
    });
    await publisher.start();
  });

  afterAll(async () => {
    await publisher?.close();
    await store?.close();
    hubSide?.end(true);
    await broker?.close();
    await dir?.remove();
  });

  it('keeps what the broker acknowledged but the hub did not confirm', async () => {
    await eventually(async () => (received.length >= 3 ? true : undefined), 10_000, 'three batches at the hub side');
    expect(received.slice(0, 3)).toEqual(seqs);
    expect(store.outboxDepth).toBe(3);
  });

  it('sends everything unconfirmed again when the hub stays silent', async () => {
    await eventually(async () => (received.length >= 6 ? true : undefined), 10_000, 'a resend');
    expect(received.slice(3, 6)).toEqual(seqs);
    expect(publisher.counters.resends).toBeGreaterThanOrEqual(1);
    expect(store.outboxDepth).toBe(3);
  });

  it('ignores an acknowledgement addressed to another sensor', async () => {
    const foreign: AckCommand = { v: 1, command: 'ack', sensorId: 'ward-6', sentAt: at, stored: seqs, rejected: [] };
    await hubSide.publishAsync(topicFor(SENSOR, 'commands'), encodeMessage(foreign), { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(store.outboxDepth).toBe(3);
  });

  it('drops what the hub stored, and what it refused for good (reporting it)', async () => {
    const ack: AckCommand = { v: 1, command: 'ack', sensorId: SENSOR, sentAt: at, stored: [seqs[0]!, seqs[1]!], rejected: [{ seq: seqs[2]!, reason: 'schema', detail: '/observations/0 bad' }] };
    await hubSide.publishAsync(topicFor(SENSOR, 'commands'), encodeMessage(ack), { qos: 1 });
    await eventually(async () => (store.outboxDepth === 0 ? true : undefined), 5000, 'outbox empty');
    expect(publisher.counters.confirmed).toBe(2);
    expect(publisher.counters.rejected).toBe(1);
    expect(refused).toEqual([`${seqs[2]}:schema`]);
  });

  it('counts a repeated acknowledgement once', async () => {
    const ack: AckCommand = { v: 1, command: 'ack', sensorId: SENSOR, sentAt: at, stored: [seqs[0]!], rejected: [] };
    await hubSide.publishAsync(topicFor(SENSOR, 'commands'), encodeMessage(ack), { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(publisher.counters.confirmed).toBe(2);
    expect(store.outboxDepth).toBe(0);
  });
});
