/**
 * Alert destinations as configured: what is accepted, what is refused and with what advice, and the
 * retry waits (1 s doubling to 60 s with jitter) with their bounds.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertSinks, parseSyslogUrl, parseWebhookUrl, type AlertDeliveryOptions } from '../src/alerts/options.js';
import { backoffDelay, retryDefaults, retryTuning } from '../src/alerts/sender.js';
import { HubError } from '../src/errors.js';
import { useTempDirs } from './fixtures.js';

const ctx = { productVersion: 'test' };

async function refused(options: AlertDeliveryOptions): Promise<HubError> {
  const err = await alertSinks(options, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubError);
  expect((err as HubError).code).toBe('HUB_ERR_ALERT_SINK');
  return err as HubError;
}

describe('alert destinations', () => {
  const tempDir = useTempDirs('wardsight-alert-options-');

  it('reads tls://host:port, for names, IPv4 and IPv6', () => {
    expect(parseSyslogUrl('tls://siem.hospital.example:6514')).toEqual({ host: 'siem.hospital.example', port: 6514 });
    expect(parseSyslogUrl('tls://10.0.5.20:6514/')).toEqual({ host: '10.0.5.20', port: 6514 });
    expect(parseSyslogUrl('tls://[fd00::5]:6514')).toEqual({ host: 'fd00::5', port: 6514 });
  });

  it('refuses syslog destinations that are not tls://host:port, saying the form to use', () => {
    for (const text of ['siem.example:6514', 'udp://siem.example:514', 'tcp://siem.example:514', 'tls://siem.example', 'tls://siem.example:0', 'tls://siem.example:6514/path']) {
      expect(() => parseSyslogUrl(text), text).toThrow(/tls:\/\/host:port/);
    }
  });

  it('takes https webhooks only', () => {
    expect(parseWebhookUrl('https://soar.hospital.example/hooks/wardsight').hostname).toBe('soar.hospital.example');
    expect(() => parseWebhookUrl('http://soar.hospital.example/hook')).toThrow(/must use https:\/\//);
    expect(() => parseWebhookUrl('soar/hook')).toThrow(/is not a URL/);
  });

  it('makes no sink when nothing is configured', async () => {
    expect(await alertSinks({ syslog: [], webhooks: [] }, ctx)).toEqual([]);
  });

  it('refuses a missing CA file, an empty secret file, a destination named twice and a bad facility', async () => {
    const dir = await tempDir();
    const empty = join(dir, 'empty.secret');
    await writeFile(empty, '  \n');
    expect((await refused({ syslog: [{ url: 'tls://127.0.0.1:6514', caFile: join(dir, 'nope.crt') }], webhooks: [] })).message).toContain('syslog CA file');
    expect((await refused({ syslog: [], webhooks: [{ url: 'https://127.0.0.1/hook', secretFile: empty }] })).message).toMatch(/is empty; put the shared secret in it/);
    expect((await refused({ syslog: [{ url: 'tls://127.0.0.1:6514' }, { url: 'tls://127.0.0.1:6514/' }], webhooks: [] })).message).toMatch(/configured twice/);
    expect((await refused({ syslog: [{ url: 'tls://127.0.0.1:6514' }], webhooks: [], facility: 24 })).message).toMatch(/facility 24/);
  });

  it('names destinations stably and shows webhook targets without their query', async () => {
    const options: AlertDeliveryOptions = { syslog: [{ url: 'tls://SIEM.Hospital.example:6514' }], webhooks: [{ url: 'https://soar.example/hook?token=s3cret' }, { url: 'https://soar.example/other' }] };
    const sinks = await alertSinks(options, ctx);
    const again = await alertSinks(options, ctx);
    expect(sinks.map((s) => s.id)).toEqual(again.map((s) => s.id));
    expect(new Set(sinks.map((s) => s.id)).size).toBe(3);
    expect(sinks[0]).toMatchObject({ id: 'syslog-siem.hospital.example-6514', target: 'tls://siem.hospital.example:6514' });
    expect(sinks[1]!.target).toBe('https://soar.example/hook');
    expect(sinks.map((s) => s.target).join(' ')).not.toContain('s3cret');
  });
});

describe('retry waits', () => {
  it('start at 1 s and double up to 60 s', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffDelay(n, retryDefaults, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('take up to the jitter share off at random, never more', () => {
    expect(backoffDelay(3, retryDefaults, () => 0.999999)).toBeGreaterThanOrEqual(4000 * (1 - retryDefaults.jitter));
    for (let i = 0; i < 200; i += 1) {
      const wait = backoffDelay(7, retryDefaults);
      expect(wait).toBeGreaterThanOrEqual(60_000 * (1 - retryDefaults.jitter));
      expect(wait).toBeLessThanOrEqual(60_000);
    }
  });

  it('clamp unsafe settings: no wait under 10 ms, a maximum never under the first wait, jitter within 0–1', () => {
    expect(retryTuning({ initialBackoffMs: 0, maxBackoffMs: 5, jitter: 3 })).toEqual({ initialBackoffMs: 10, maxBackoffMs: 10, jitter: 1 });
    expect(retryTuning({ initialBackoffMs: Number.NaN })).toEqual(retryDefaults);
  });
});
