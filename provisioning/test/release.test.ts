/**
 * Release signing and verification with real keys, real files and real tar archives: the key pair,
 * signing a tree into a bundle, verifying and extracting it, and every way a bundle may be refused —
 * another key, a changed manifest, a changed byte, an unlisted, missing or special member, a path or
 * link leading out of the tree. Crafted bundles are written with node-tar's header encoder and signed
 * with the real key, so they fail for the reason under test and no other. The command line is run as
 * a process (`bin/wardsight.js`, built with `npx tsc --build`).
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Header, list } from 'tar';
import { compareReleaseVersions, parseReleaseVersion } from '../src/release-version.js';
import { encodeReleaseManifest, type ReleaseManifest } from '../src/release-manifest.js';
import { generateReleaseKeyPair, loadReleasePublicKey, releaseKeyId, type ReleaseKeyPair } from '../src/release-keys.js';
import { signReleaseManifest } from '../src/release-signature.js';
import { signRelease } from '../src/release-sign.js';
import { verifyRelease } from '../src/release-verify.js';
import { permissionBits, useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const CLI = resolve(import.meta.dirname, '../../bin/wardsight.js');

let dir: string;
let keys: ReleaseKeyPair;

beforeEach(async () => {
  dir = await tempDir();
  keys = await generateReleaseKeyPair(join(dir, 'keys'));
});

/** A small application tree: nested directories, an executable, a link inside, an empty file, a long name. */
async function payloadTree(name = 'payload'): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'edge-core', 'dist', 'decoders'), { recursive: true });
  await writeFile(join(root, 'bin', 'wardsight.js'), 'console.log("sensor");\n');
  await chmod(join(root, 'bin', 'wardsight.js'), 0o755);
  await writeFile(join(root, 'edge-core', 'dist', 'decoders', 'dicom.js'), 'export const decode = () => null; // DICOM-DECODER\n');
  await writeFile(join(root, 'edge-core', 'dist', 'decoders', `${'hl7-'.repeat(30)}.js`), 'export {};\n');
  await writeFile(join(root, 'edge-core', 'dist', 'empty.js'), '');
  await symlink('../edge-core/dist/decoders/dicom.js', join(root, 'bin', 'dicom.js'));
  return root;
}

const sign = (payloadDir: string, version = '1.4.0', extra: { outDir?: string; privateKeyPath?: string; minimumFromVersion?: string } = {}) =>
  signRelease({ payloadDir, version, privateKeyPath: extra.privateKeyPath ?? keys.privateKeyPath, outDir: extra.outDir ?? join(dir, 'out'), ...(extra.minimumFromVersion ? { minimumFromVersion: extra.minimumFromVersion } : {}) });

const trusted = () => loadReleasePublicKey(keys.publicKeyPath);

/** Every path under `root` with its type, permission bits and content or link target. */
async function tree(root: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(join(root, prefix))).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    const info = await lstat(join(root, path));
    if (info.isSymbolicLink()) out[path] = `-> ${await readlink(join(root, path))}`;
    else if (info.isDirectory()) Object.assign(out, { [path]: `dir ${permissionBits(info.mode).toString(8)}` }, await tree(root, path));
    else out[path] = `${permissionBits(info.mode).toString(8)} ${await readFile(join(root, path), 'utf8')}`;
  }
  return out;
}

interface Member {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'CharacterDevice' | 'Link';
  body?: string | Buffer;
  linkpath?: string;
}

/** Writes a tar archive member by member, as a forger could. */
async function writeTar(path: string, members: Member[]): Promise<void> {
  const blocks: Buffer[] = [];
  for (const member of members) {
    const body = Buffer.from(member.body ?? '');
    const header = new Header({ path: member.path, type: member.type ?? 'File', size: body.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, ...(member.linkpath ? { linkpath: member.linkpath } : {}) });
    header.encode();
    blocks.push(header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  await writeFile(path, Buffer.concat(blocks));
}

/** A bundle of `members` behind a manifest listing `files`, signed with the trusted key. */
async function forgedBundle(files: unknown[], members: Member[], name = 'forged.tar'): Promise<string> {
  const manifest = { format: 1, product: 'wardsight-sensor', version: '2.0.0', createdAt: '2026-01-05T10:00:00.000Z', files } as unknown as ReleaseManifest;
  const manifestBytes = encodeReleaseManifest(manifest);
  const privateKey = createPrivateKey(await readFile(keys.privateKeyPath, 'utf8'));
  const path = join(dir, name);
  await writeTar(path, [{ path: 'manifest.json', body: manifestBytes }, { path: 'manifest.sig', body: signReleaseManifest(manifestBytes, privateKey) }, ...members]);
  return path;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('release key pair', () => {
  it('writes the private key 0600 and the public key 0644, and never replaces them', async () => {
    expect(permissionBits((await stat(keys.privateKeyPath)).mode)).toBe(0o600);
    expect(permissionBits((await stat(keys.publicKeyPath)).mode)).toBe(0o644);
    expect(keys.keyId).toBe(releaseKeyId(await trusted()));
    expect(keys.keyId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const before = await readFile(keys.privateKeyPath, 'utf8');
    await expect(generateReleaseKeyPair(join(dir, 'keys'))).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_KEY_EXISTS' });
    expect(await readFile(keys.privateKeyPath, 'utf8')).toBe(before);
  });

  it('refuses to sign with a private key others may read, or with a key that is not Ed25519', async () => {
    const payload = await payloadTree();
    await chmod(keys.privateKeyPath, 0o644);
    await expect(sign(payload)).rejects.toMatchObject({ code: 'PROV_ERR_FILE_MODE' });
    const rsa = join(dir, 'rsa.key');
    await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await expect(sign(payload, '1.4.0', { privateKeyPath: rsa })).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_KEY_INVALID', message: expect.stringContaining('it is a rsa key') });
  });
});

describe('signing and verifying a release', () => {
  it('signs a tree into one bundle that verifies and extracts to the same tree', async () => {
    const payload = await payloadTree();
    const signed = await sign(payload, '1.4.0-rc.2', { minimumFromVersion: '1.2.0' });
    expect(signed.bundlePath).toBe(join(dir, 'out', 'wardsight-sensor-1.4.0-rc.2.tar'));
    expect(signed).toMatchObject({ files: 4, directories: 4, symlinks: 1, keyId: keys.keyId });

    const members: string[] = [];
    await list({ file: signed.bundlePath, onReadEntry: (entry) => void members.push(entry.path) });
    expect(members.slice(0, 3)).toEqual(['manifest.json', 'manifest.sig', 'payload/bin/']);
    expect(members).toContain(`payload/edge-core/dist/decoders/${'hl7-'.repeat(30)}.js`);

    const out = join(dir, 'extracted');
    await mkdir(out);
    const verified = await verifyRelease(signed.bundlePath, await trusted(), { extractTo: out });
    expect(verified.manifest).toMatchObject({ product: 'wardsight-sensor', version: '1.4.0-rc.2', minimumFromVersion: '1.2.0' });
    expect(await tree(out)).toEqual(await tree(payload));
    expect(verified.manifest.files).toContainEqual({ path: 'bin/wardsight.js', type: 'file', size: 23, mode: '0755', sha256: sha256('console.log("sensor");\n') });
  });

  it('never replaces a bundle that exists', async () => {
    const payload = await payloadTree();
    await sign(payload);
    await expect(sign(payload)).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_EXISTS' });
    expect(await readdir(join(dir, 'out'))).toEqual(['wardsight-sensor-1.4.0.tar']);
  });

  it('refuses versions that are not MAJOR.MINOR.PATCH[-PRERELEASE], and a minimum that is not older', async () => {
    const payload = await payloadTree();
    for (const version of ['1.4', '01.4.0', '1.4.0+build.7', 'v1.4.0', '1.4.0-', '1.4.0-rc..1']) {
      await expect(sign(payload, version)).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_VERSION' });
    }
    await expect(sign(payload, '1.4.0', { minimumFromVersion: '1.4.0' })).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_VERSION' });
  });

  it('refuses a payload whose package.json gives another version than the one signed, and signs a matching one', async () => {
    const payload = await payloadTree();
    await writeFile(join(payload, 'package.json'), '{ "name": "wardsight", "version": "1.3.9", "type": "module" }\n');
    await expect(sign(payload, '1.4.0')).rejects.toMatchObject({
      code: 'PROV_ERR_RELEASE_VERSION',
      message: expect.stringContaining("the payload's package.json says version 1.3.9, but it is being signed as 1.4.0"),
    });
    await writeFile(join(payload, 'package.json'), '{ "name": "wardsight", "private": true }\n');
    await expect(sign(payload, '1.4.0')).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_VERSION', message: expect.stringContaining('says no version') });
    await writeFile(join(payload, 'package.json'), '{ "name": "wardsight", ');
    await expect(sign(payload, '1.4.0')).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_PAYLOAD', message: expect.stringContaining('package.json is not JSON') });
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);

    await writeFile(join(payload, 'package.json'), '{ "name": "wardsight", "version": "1.4.0", "type": "module" }\n');
    const signed = await sign(payload, '1.4.0');
    expect(signed.manifest.files).toContainEqual(expect.objectContaining({ path: 'package.json', type: 'file' }));
  });

  it.each([
    ['a link pointing outside the tree', (root: string) => symlink('../../etc/shadow', join(root, 'bin', 'shadow'))],
    ['an absolute link', (root: string) => symlink('/etc/shadow', join(root, 'bin', 'shadow'))],
    ['a FIFO', async (root: string) => void spawnSync('mkfifo', [join(root, 'bin', 'pipe')])],
    ['a character device', async (root: string) => void spawnSync('mknod', [join(root, 'bin', 'null'), 'c', '1', '3'])],
    ['a name with a line break', (root: string) => writeFile(join(root, 'bin', 'two\nlines'), '')],
  ])('refuses to sign a tree holding %s', async (_what, add) => {
    const payload = await payloadTree();
    await add(payload);
    await expect(sign(payload)).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_PAYLOAD', message: expect.stringContaining('bin/') });
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);
  });
});

describe('a bundle that is refused', () => {
  it('signed by another key', async () => {
    const other = await generateReleaseKeyPair(join(dir, 'other'));
    const signed = await sign(await payloadTree(), '1.4.0', { privateKeyPath: other.privateKeyPath });
    await expect(verifyRelease(signed.bundlePath, await trusted())).rejects.toMatchObject({
      code: 'PROV_ERR_RELEASE_SIGNATURE',
      message: expect.stringContaining(`signed by another key (${other.keyId}), and only ${keys.keyId} is trusted`),
    });
  });

  it('whose manifest changed after signing', async () => {
    const signed = await sign(await payloadTree());
    const bytes = await readFile(signed.bundlePath);
    bytes.write('"1.5.0"', bytes.indexOf('"1.4.0"'), 'latin1');
    await writeFile(signed.bundlePath, bytes);
    await expect(verifyRelease(signed.bundlePath, await trusted())).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_SIGNATURE', message: expect.stringContaining('does not match the manifest') });
  });

  it('whose payload byte changed, naming the file', async () => {
    const signed = await sign(await payloadTree());
    const bytes = await readFile(signed.bundlePath);
    bytes.write('X', bytes.indexOf('DICOM-DECODER'), 'latin1');
    await writeFile(signed.bundlePath, bytes);
    await expect(verifyRelease(signed.bundlePath, await trusted())).rejects.toMatchObject({
      code: 'PROV_ERR_RELEASE_TAMPERED',
      message: expect.stringContaining('file edge-core/dist/decoders/dicom.js hash mismatch'),
    });
  });

  it('with an unlisted member, a missing member, a member of another type and a device member', async () => {
    const files = [
      { path: 'bin', type: 'directory', mode: '0755' },
      { path: 'bin/wardsight.js', type: 'file', size: 3, mode: '0755', sha256: sha256('ok\n') },
      { path: 'bin/missing.js', type: 'file', size: 0, mode: '0644', sha256: sha256('') },
      { path: 'bin/null', type: 'file', size: 0, mode: '0644', sha256: sha256('') },
      { path: 'bin/link.js', type: 'symlink', target: 'wardsight.js' },
    ];
    const bundle = await forgedBundle(files, [
      { path: 'payload/bin/', type: 'Directory' },
      { path: 'payload/bin/wardsight.js', body: 'ok\n' },
      { path: 'payload/bin/extra.js', body: 'evil\n' },
      { path: 'payload/bin/null', type: 'CharacterDevice' },
      { path: 'payload/bin/link.js', type: 'SymbolicLink', linkpath: '../../../etc/passwd' },
    ]);
    const refusal = verifyRelease(bundle, await trusted());
    await expect(refusal).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_TAMPERED' });
    const message = ((await refusal.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('unlisted file "payload/bin/extra.js" (File)');
    expect(message).toContain('bin/null is a CharacterDevice member where the manifest lists a file');
    expect(message).toContain('link bin/link.js points to "../../../etc/passwd" where the manifest says "wardsight.js"');
    expect(message).toContain('listed file bin/missing.js is missing');
  });

  it('with members outside the payload: nothing is written outside the directory it is extracted into', async () => {
    const bundle = await forgedBundle(
      [{ path: 'bin/wardsight.js', type: 'file', size: 3, mode: '0755', sha256: sha256('ok\n') }],
      [
        { path: 'payload/../../escaped.txt', body: 'owned\n' },
        { path: '/tmp/absolute.txt', body: 'owned\n' },
        { path: 'payload/bin/wardsight.js', body: 'ok\n' },
      ],
    );
    const out = join(dir, 'slot', 'incoming');
    await mkdir(out, { recursive: true });
    await expect(verifyRelease(bundle, await trusted(), { extractTo: out })).rejects.toMatchObject({
      code: 'PROV_ERR_RELEASE_TAMPERED',
      message: expect.stringMatching(/unlisted file "payload\/\.\.\/\.\.\/escaped\.txt".*unlisted file "\/?tmp\/absolute\.txt"/),
    });
    await expect(stat(join(dir, 'escaped.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(dir, 'slot', 'escaped.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(out)).toEqual([]);
  });

  it.each([
    ['a path climbing out', { path: '../escaped.js', type: 'file', size: 0, mode: '0644', sha256: sha256('') }, 'unsafe path "../escaped.js"'],
    ['an absolute path', { path: '/etc/cron.d/x', type: 'file', size: 0, mode: '0644', sha256: sha256('') }, 'unsafe path "/etc/cron.d/x"'],
    ['a link leaving the tree', { path: 'bin/x', type: 'symlink', target: '../../x' }, 'points outside the release'],
    ['a device type', { path: 'bin/x', type: 'char-device', mode: '0644' }, 'unknown type "char-device"'],
  ])('whose signed manifest lists %s', async (_what, entry, reason) => {
    const bundle = await forgedBundle([entry], []);
    await expect(verifyRelease(bundle, await trusted())).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_MALFORMED', message: expect.stringContaining(reason) });
  });

  it('that is not a tar archive, or is cut short', async () => {
    const junk = join(dir, 'junk.tar');
    await writeFile(junk, Buffer.alloc(4096, 7));
    await expect(verifyRelease(junk, await trusted())).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_MALFORMED', message: expect.stringContaining('not a tar archive') });
    const signed = await sign(await payloadTree());
    const bytes = await readFile(signed.bundlePath);
    await writeFile(signed.bundlePath, bytes.subarray(0, 1536 + 100));
    // Cut inside manifest.json: the archive ends before the manifest does.
    await expect(verifyRelease(signed.bundlePath, await trusted())).rejects.toMatchObject({ code: 'PROV_ERR_RELEASE_MALFORMED', message: expect.stringContaining('Truncated input') });
  });
});

describe('release versions (Semantic Versioning 2.0.0 §11)', () => {
  it('orders versions by precedence, pre-releases before their release', () => {
    // The example of §11.4, in ascending order, then a later release.
    const ascending = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'];
    for (let i = 1; i < ascending.length; i += 1) {
      expect(compareReleaseVersions(ascending[i - 1]!, ascending[i]!), `${ascending[i - 1]} < ${ascending[i]}`).toBeLessThan(0);
      expect(compareReleaseVersions(ascending[i]!, ascending[i - 1]!)).toBeGreaterThan(0);
    }
    expect(compareReleaseVersions('1.4.0', '1.4.0')).toBe(0);
    expect(parseReleaseVersion('1.0.0-rc.1')).toEqual({ major: 1, minor: 0, patch: 0, prerelease: ['rc', 1] });
  });
});

describe('wardsight provision release (the command line)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'provision', 'release', ...args], { cwd: dir, encoding: 'utf8' });

  it('keygen, sign and verify; a changed byte makes verify exit non-zero naming the file', async () => {
    const keygen = run('keygen', '--dir', 'cli-keys');
    expect(keygen.status, keygen.stderr).toBe(0);
    expect(keygen.stdout).toMatch(/key id {7}sha256:[0-9a-f]{64}/);
    expect(run('keygen', '--dir', 'cli-keys')).toMatchObject({ status: 1, stderr: expect.stringContaining('[PROV_ERR_RELEASE_KEY_EXISTS]') });

    await payloadTree('tree');
    const signed = run('sign', 'tree', '2.1.0', '--key', 'cli-keys/wardsight-release.key', '--out', 'releases');
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout).toContain(`release 2.1.0: ${join(dir, 'releases', 'wardsight-sensor-2.1.0.tar')}`);

    const verified = run('verify', 'releases/wardsight-sensor-2.1.0.tar', '--public-key', 'cli-keys/wardsight-release.pub');
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('wardsight-sensor 2.1.0');
    expect(verified.stdout).toContain('signature     good');
    expect(verified.stdout).toContain('4 files, 4 directories, 1 link');

    const bundle = join(dir, 'releases', 'wardsight-sensor-2.1.0.tar');
    const bytes = await readFile(bundle);
    bytes.write('X', bytes.indexOf('DICOM-DECODER'), 'latin1');
    await writeFile(bundle, bytes);
    const refused = run('verify', 'releases/wardsight-sensor-2.1.0.tar', '--public-key', 'cli-keys/wardsight-release.pub');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('signature     good');
    expect(refused.stderr).toContain('file edge-core/dist/decoders/dicom.js hash mismatch');
    expect(refused.stderr).toContain('[PROV_ERR_RELEASE_TAMPERED]');
  });
});
