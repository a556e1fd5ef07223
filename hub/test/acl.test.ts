import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, topicFor } from '@wardsight/protocol';
import { expectedClientId, mayPublish, maySubscribe, type ClientIdentity } from '../src/broker/acl.js';

const floor2: ClientIdentity = { commonName: 'floor2', role: 'sensor' };
const hub: ClientIdentity = { commonName: 'hub', role: 'hub' };
const admin: ClientIdentity = { commonName: 'admin', role: 'admin' };

describe('mayPublish', () => {
  it('lets a sensor publish its own observations, behaviour, health and status', () => {
    for (const kind of ['observations', 'behaviour', 'health', 'status'] as const) {
      expect(mayPublish(floor2, topicFor('floor2', kind)), kind).toBe(true);
    }
  });

  it('never lets a sensor publish commands, even to itself', () => {
    expect(mayPublish(floor2, topicFor('floor2', 'commands'))).toBe(false);
  });

  it('never lets a sensor publish under another sensor\'s id', () => {
    for (const kind of MESSAGE_KINDS) expect(mayPublish(floor2, topicFor('floor3', kind)), kind).toBe(false);
    // A prefix of the id is another sensor too.
    expect(mayPublish(floor2, topicFor('floor', 'observations'))).toBe(false);
    expect(mayPublish(floor2, topicFor('floor22', 'observations'))).toBe(false);
  });

  it('refuses wildcards and topics outside the contract', () => {
    for (const topic of [
      'wardsight/v1/sensors/+/observations',
      'wardsight/v1/sensors/floor2/+',
      'wardsight/v1/sensors/floor2/#',
      '#',
      'wardsight/v1/sensors/floor2/observations/extra',
      'wardsight/v2/sensors/floor2/observations',
      '$SYS/broker/clients',
    ]) {
      expect(mayPublish(floor2, topic), topic).toBe(false);
    }
  });

  it('lets the hub publish commands to any sensor and nothing else', () => {
    expect(mayPublish(hub, topicFor('floor2', 'commands'))).toBe(true);
    expect(mayPublish(hub, topicFor('floor9', 'commands'))).toBe(true);
    for (const kind of ['observations', 'behaviour', 'health', 'status'] as const) {
      expect(mayPublish(hub, topicFor('floor2', kind)), kind).toBe(false);
    }
    expect(mayPublish(hub, 'wardsight/v1/sensors/+/commands')).toBe(false);
  });

  it('gives the admin role nothing', () => {
    for (const kind of MESSAGE_KINDS) expect(mayPublish(admin, topicFor('floor2', kind)), kind).toBe(false);
  });
});

describe('maySubscribe', () => {
  it('lets a sensor subscribe to its own commands only', () => {
    expect(maySubscribe(floor2, topicFor('floor2', 'commands'))).toBe(true);
    for (const filter of [
      topicFor('floor3', 'commands'),
      topicFor('floor2', 'observations'),
      topicFor('floor2', 'status'),
      'wardsight/v1/sensors/+/commands',
      'wardsight/v1/sensors/floor2/#',
      'wardsight/v1/sensors/#',
      '#',
    ]) {
      expect(maySubscribe(floor2, filter), filter).toBe(false);
    }
  });

  it('lets the hub read one non-command kind from every sensor, plainly or as a shared subscription', () => {
    for (const kind of ['observations', 'behaviour', 'health', 'status'] as const) {
      expect(maySubscribe(hub, `wardsight/v1/sensors/+/${kind}`), kind).toBe(true);
      expect(maySubscribe(hub, `$share/hub/wardsight/v1/sensors/+/${kind}`), kind).toBe(true);
    }
  });

  it('refuses the hub the commands, multi-level wildcards and filters under another root', () => {
    for (const filter of [
      'wardsight/v1/sensors/+/commands',
      '$share/hub/wardsight/v1/sensors/+/commands',
      '#',
      '$share/hub/#',
      'wardsight/v1/sensors/#',
      'wardsight/v1/sensors/+/#',
      'wardsight/v2/sensors/+/observations',
      'other/v1/sensors/+/observations',
      'wardsight/v1/sensors/+/observations/extra',
    ]) {
      expect(maySubscribe(hub, filter), filter).toBe(false);
    }
  });

  it('lets the hub subscribe only through the wildcard, not to one named sensor', () => {
    expect(maySubscribe(hub, topicFor('floor2', 'observations'))).toBe(false);
  });

  it('gives the admin role nothing', () => {
    expect(maySubscribe(admin, 'wardsight/v1/sensors/+/observations')).toBe(false);
    expect(maySubscribe(admin, topicFor('admin', 'commands'))).toBe(false);
    expect(maySubscribe(admin, '#')).toBe(false);
  });
});

describe('expectedClientId', () => {
  it('fixes a sensor\'s client id from its certificate name, and leaves the hub and admin free', () => {
    expect(expectedClientId(floor2)).toBe('sensor-floor2');
    expect(expectedClientId({ commonName: 'icu-east-3', role: 'sensor' })).toBe('sensor-icu-east-3');
    expect(expectedClientId(hub)).toBeNull();
    expect(expectedClientId(admin)).toBeNull();
  });
});

describe('hub subscriptions cannot reach commands through a wildcard', () => {
  it('refuses a wildcard in the kind level, plain or shared', () => {
    const hub = { commonName: 'hub', role: 'hub' as const };
    expect(maySubscribe(hub, 'wardsight/v1/sensors/+/+')).toBe(false);
    expect(maySubscribe(hub, '$share/hub/wardsight/v1/sensors/+/+')).toBe(false);
    expect(maySubscribe(hub, 'wardsight/v1/sensors/+/observations')).toBe(true);
  });
});
