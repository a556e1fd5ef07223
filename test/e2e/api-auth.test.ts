/** The API refuses requests without a valid credential; the credential is made on first start, mode 0600. */
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '@wardsight/hub';
import { apiGet, startTestHub, tempDir } from '@wardsight/test';

describe('API authentication', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;

  beforeAll(async () => {
    dir = await tempDir();
    hub = await startTestHub(dir.path);
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  it('made an admin credential on first start, readable by its owner only', async () => {
    expect(hub.credentialCreated).toBe(true);
    expect((await stat(hub.credentialFile)).mode & 0o777).toBe(0o600);
  });

  for (const path of ['/api/v1/devices', '/api/v1/devices/mac:00:11:22:33:44:55', '/api/v1/sensors', '/api/v1/health', '/']) {
    it(`refuses ${path} without a credential`, async () => {
      const res = await apiGet<{ error: string }>(hub, path, null);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      expect(res.body.error).toBe('HUB_ERR_UNAUTHENTICATED');
    });
  }

  it('refuses a wrong password and a wrong user', async () => {
    expect((await apiGet(hub, '/api/v1/devices', { username: 'admin', password: 'guess' })).status).toBe(401);
    expect((await apiGet(hub, '/api/v1/devices', { username: 'root', password: 'guess' })).status).toBe(401);
  });

  it('answers with the credential', async () => {
    const res = await apiGet<{ devices: unknown[] }>(hub, '/api/v1/devices');
    expect(res.status).toBe(200);
    expect(res.body.devices).toEqual([]);
  });

  it('keeps the liveness probe open', async () => {
    expect((await apiGet(hub, '/healthz', null)).status).toBe(200);
  });

  it('says 404 with a stable code for an unknown device', async () => {
    const res = await apiGet<{ error: string }>(hub, `/api/v1/devices/${encodeURIComponent('mac:00:11:22:33:44:55')}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('HUB_ERR_NOT_FOUND');
  });
});
