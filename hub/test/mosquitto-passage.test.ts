/**
 * Mosquitto's account must be able to pass through every directory above its own: a broker
 * directory it cannot reach is refused with the directory in the way named, and a broker directory
 * inside the hub's 0700 data directory is reached by opening the data directory to the broker's
 * group for searching only. Real directories, real modes; needs root and the mosquitto account.
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureHubServerIdentity } from '@wardsight/provisioning';
import { blockedAncestor, brokerOwner, openPassage, writeMosquittoConfig } from '../src/broker/mosquitto.js';

const isRoot = process.getuid?.() === 0;
const hasAccount = (() => {
  try {
    execFileSync('id', ['mosquitto'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!isRoot || !hasAccount) console.warn('hub/test/mosquitto-passage.test.ts skipped: it needs root and the mosquitto account (apt-get install mosquitto)');

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe.skipIf(!isRoot || !hasAccount)("reaching Mosquitto's directory as its account", () => {
  let top: string;
  beforeEach(async () => {
    top = await mkdtemp(join(tmpdir(), 'wardsight-passage-'));
  });
  afterEach(async () => {
    await rm(top, { recursive: true, force: true });
  });

  it('finds the nearest directory the account cannot search, and opens the data directory to its group for searching only', async () => {
    const account = (await brokerOwner('mosquitto'))!;
    const dataDir = join(top, 'hub');
    const brokerDir = join(dataDir, 'brokers', 'mosquitto');
    await mkdir(brokerDir, { recursive: true, mode: 0o700 });
    await chmod(top, 0o755);
    expect(await blockedAncestor(brokerDir, account)).toBe(join(dataDir, 'brokers'));

    await openPassage(dataDir, brokerDir, account);
    expect(await blockedAncestor(brokerDir, account)).toBeNull();
    for (const dir of [dataDir, join(dataDir, 'brokers')]) {
      expect(await mode(dir)).toBe(0o710);
      expect((await stat(dir)).gid).toBe(account.gid);
    }
  });

  it('leaves alone a directory whose group has rights, and a directory outside the data directory', async () => {
    const account = (await brokerOwner('mosquitto'))!;
    const dataDir = join(top, 'hub');
    await mkdir(join(dataDir, 'mosquitto'), { recursive: true, mode: 0o750 });
    await chmod(top, 0o700);
    await chown(dataDir, 0, 0);
    await chmod(dataDir, 0o750);
    await expect(openPassage(dataDir, join(dataDir, 'mosquitto'), account)).rejects.toMatchObject({ code: 'HUB_ERR_MOSQUITTO_CONFIG' });
    expect(await mode(dataDir)).toBe(0o750);

    await openPassage(dataDir, join(top, 'elsewhere'), account);
    expect(await mode(top)).toBe(0o700);
  });

  it('refuses to write a configuration Mosquitto could not reach, naming the directory in the way', async () => {
    const hubDataDir = join(top, 'hub');
    await ensureHubServerIdentity(hubDataDir);
    await chmod(top, 0o700);
    await expect(writeMosquittoConfig(join(top, 'mosquitto'), { hubDataDir, port: 0, host: '127.0.0.1' })).rejects.toMatchObject({
      code: 'HUB_ERR_MOSQUITTO_CONFIG',
      message: expect.stringContaining(`cannot pass through ${top} (mode 0700)`) as unknown,
    });
  });
});
