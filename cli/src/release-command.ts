/**
 * `wardsight provision release`: the release signing key and signed software releases for sensors.
 * `keygen` creates the Ed25519 key pair, `sign` turns a built application tree into a signed bundle
 * (`wardsight-sensor-<version>.tar`), `verify` checks a bundle the way a sensor does before installing.
 * A failed verification exits non-zero with the reason (bad signature, which file differs, …).
 */
import type { Command } from 'commander';

interface KeygenFlags {
  dir: string;
  name?: string;
}

interface SignFlags {
  key: string;
  out: string;
  minimumFrom?: string;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function registerRelease(provision: Command): void {
  const release = provision.command('release').description('Sign sensor software releases with the release key, and verify release bundles');

  release
    .command('keygen')
    .description('Create the Ed25519 release key pair: <name>.key (private, 0600; keep it off the sensors) and <name>.pub (install it on every sensor)')
    .option('--dir <dir>', 'where the key pair is written', '.')
    .option('--name <name>', 'file name of the pair, without extension (default: wardsight-release)')
    .action(async (flags: KeygenFlags) => {
      const { generateReleaseKeyPair } = await import('@wardsight/provisioning');
      const pair = await generateReleaseKeyPair(flags.dir, flags.name);
      say(`private key  ${pair.privateKeyPath} (0600; it signs releases: keep it offline)`);
      say(`public key   ${pair.publicKeyPath} (sensors trust releases signed with its private half)`);
      say(`key id       ${pair.keyId}`);
    });

  release
    .command('sign <payloadDir> <version>')
    .description('Sign the built application tree in <payloadDir> as release <version> (MAJOR.MINOR.PATCH[-PRERELEASE]) into one bundle')
    .requiredOption('--key <file>', 'the release private key (.key from keygen)')
    .option('--out <dir>', 'where the bundle is written', '.')
    .option('--minimum-from <version>', 'refuse to update sensors running a version older than this')
    .action(async (payloadDir: string, version: string, flags: SignFlags) => {
      const { signRelease } = await import('@wardsight/provisioning');
      const signed = await signRelease({
        payloadDir,
        version,
        privateKeyPath: flags.key,
        outDir: flags.out,
        ...(flags.minimumFrom ? { minimumFromVersion: flags.minimumFrom } : {}),
      });
      say(`release ${signed.manifest.version}: ${signed.bundlePath}`);
      say(`signed with ${signed.keyId}; ${plural(signed.files, 'file')}, ${plural(signed.directories, 'directory', 'directories')}, ${plural(signed.symlinks, 'link')}, ${signed.bytes} bytes`);
    });

  release
    .command('verify <bundle>')
    .description('Check a release bundle: its signature against the public key, then every file against the signed manifest')
    .requiredOption('--public-key <file>', 'the trusted release public key (.pub)')
    .option('--json', 'print the result as JSON')
    .action(async (bundle: string, flags: { publicKey: string; json?: boolean }) => {
      const { checkReleaseContent, loadReleasePublicKey, openSignedRelease } = await import('@wardsight/provisioning');
      // Signature first: nothing of the payload is looked at before the manifest is proven signed.
      const signed = await openSignedRelease(bundle, await loadReleasePublicKey(flags.publicKey));
      const { manifest } = signed;
      if (!flags.json) {
        say(`${bundle}: ${manifest.product} ${manifest.version}, signed ${manifest.createdAt}`);
        say(`signature     good (Ed25519, key ${signed.keyId})`);
      }
      const contents = await checkReleaseContent(signed);
      if (flags.json) {
        const summary = { bundle, product: manifest.product, version: manifest.version, createdAt: manifest.createdAt, minimumFromVersion: manifest.minimumFromVersion ?? null, keyId: signed.keyId, ...contents };
        return say(JSON.stringify(summary, null, 2));
      }
      say(`contents      ${plural(contents.files, 'file')}, ${plural(contents.directories, 'directory', 'directories')}, ${plural(contents.symlinks, 'link')}, ${contents.bytes} bytes: each SHA-256, size and type as signed; nothing unlisted, nothing missing`);
      say(`updates from  ${manifest.minimumFromVersion ? `${manifest.minimumFromVersion} or later` : 'any older version'}`);
    });
}
