import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, SENSOR_PUBLISHED_KINDS, TOPIC_ROOT, isSensorId, parseTopic, subscriptionFor, topicFor } from '../src/topics.js';

describe('topicFor and parseTopic', () => {
  it('builds the contract topic of each kind and parses it back to the same sensor and kind', () => {
    expect(topicFor('floor2', 'observations')).toBe('wardsight/v1/sensors/floor2/observations');
    for (const kind of MESSAGE_KINDS) {
      const topic = topicFor('icu-east-3', kind);
      expect(topic).toBe(`wardsight/v1/sensors/icu-east-3/${kind}`);
      expect(parseTopic(topic)).toEqual({ sensorId: 'icu-east-3', kind });
    }
  });

  it('refuses topics under another root or contract version', () => {
    for (const topic of [
      'wardsight/v2/sensors/floor2/observations',
      'wardsight/v1/sensor/floor2/observations',
      'other/v1/sensors/floor2/observations',
      'Wardsight/v1/sensors/floor2/observations',
      '/wardsight/v1/sensors/floor2',
    ]) {
      expect(parseTopic(topic), topic).toBeNull();
    }
  });

  it('refuses topics with too few or too many levels', () => {
    for (const topic of [
      'wardsight/v1/sensors/floor2',
      'wardsight/v1/sensors',
      'wardsight/v1/sensors/floor2/observations/extra',
      'wardsight/v1/sensors/floor2/observations/',
      '',
    ]) {
      expect(parseTopic(topic), topic).toBeNull();
    }
  });

  it('refuses sensor ids that are not plain lower-case names, wildcards included', () => {
    for (const sensorId of ['Floor2', '-floor2', 'floor_2', 'floor.2', '', '+', '#', 'a'.repeat(64)]) {
      expect(parseTopic(`${TOPIC_ROOT}/${sensorId}/health`), sensorId).toBeNull();
    }
    expect(parseTopic(`${TOPIC_ROOT}/${'a'.repeat(63)}/health`)).toEqual({ sensorId: 'a'.repeat(63), kind: 'health' });
  });

  it('refuses kinds outside the contract', () => {
    for (const kind of ['alerts', 'Observations', 'observation', '', '+', '#', 'toString']) {
      expect(parseTopic(`${TOPIC_ROOT}/floor2/${kind}`), kind).toBeNull();
    }
  });
});

describe('isSensorId', () => {
  it('accepts 1 to 63 lower-case letters, digits and dashes, never a leading dash', () => {
    for (const id of ['a', '7', 'floor2', 'icu-east-3', 'a-', `a${'b'.repeat(62)}`]) expect(isSensorId(id), id).toBe(true);
    for (const id of ['', 'A', 'floor 2', '-a', `a${'b'.repeat(63)}`, 'étage2']) expect(isSensorId(id), id).toBe(false);
  });
});

describe('subscriptionFor', () => {
  it('matches one kind from every sensor with a single-level wildcard', () => {
    expect(subscriptionFor('health')).toBe('wardsight/v1/sensors/+/health');
    // The wildcard stands exactly where a sensor id sits in a published topic.
    expect(subscriptionFor('observations').replace('+', 'floor2')).toBe(topicFor('floor2', 'observations'));
  });

  it('names a shared-subscription group in front of the filter when one is given', () => {
    expect(subscriptionFor('observations', 'hub')).toBe('$share/hub/wardsight/v1/sensors/+/observations');
    expect(subscriptionFor('status', 'hub-cluster-a')).toBe('$share/hub-cluster-a/wardsight/v1/sensors/+/status');
  });
});

describe('SENSOR_PUBLISHED_KINDS', () => {
  it('holds every kind but commands, which flow from hub to sensor', () => {
    expect([...SENSOR_PUBLISHED_KINDS].sort()).toEqual(MESSAGE_KINDS.filter((k) => k !== 'commands').sort());
  });
});
