/**
 * `wardsight appliance update` and `update-status`: install a signed release on this sensor (into the
 * inactive slot; the next start of the service runs it on trial) and show what is installed.
 */
import type { Command } from 'commander';

/** The update modules, loaded when an update command runs. */
const updateModule = () => import('@wardsight/appliance');

interface UpdateFlags {
  root?: string;
  publicKey?: string;
  currentVersion?: string;
  maxAttempts?: number;
  trialDeadline?: number;
}

const count = (value: string): number => {
  if (!/^\d+$/.test(value.trim())) throw new Error(`expected a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
};

const say = (line: string): void => void process.stdout.write(`${line}\n`);

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

export function registerUpdate(appliance: Command): void {
  appliance
    .command('update <bundle>')
    .description('Install a signed release into the inactive slot and switch to it; restart the service to run it on trial (it rolls back by itself if it does not confirm itself healthy)')
    .option('--root <dir>', 'install root of the sensor software (default: /opt/wardsight)')
    .option('--public-key <file>', 'the trusted release public key (default: /etc/wardsight/release.pub)')
    .option('--current-version <version>', 'the version running now (default: the one recorded for the active slot)')
    .option('--max-attempts <n>', 'starts the new version gets to confirm itself (1-10, default 3)', count)
    .option('--trial-deadline <s>', 'seconds from its first start within which it must confirm itself (30-86400, default 600)', count)
    .action(async (bundle: string, flags: UpdateFlags) => {
      const { installRelease, loadTrustedReleaseKey } = await updateModule();
      const installed = await installRelease(bundle, {
        publicKey: await loadTrustedReleaseKey(flags.publicKey),
        ...(flags.root ? { root: flags.root } : {}),
        ...(flags.currentVersion ? { currentVersion: flags.currentVersion } : {}),
        ...(flags.maxAttempts !== undefined ? { maxAttempts: flags.maxAttempts } : {}),
        ...(flags.trialDeadline !== undefined ? { trialDeadlineS: flags.trialDeadline } : {}),
      });
      say(`release ${installed.version} installed into slot ${installed.slot} (${plural(installed.files, 'file')}, ${plural(installed.bytes, 'byte')}, signed by ${installed.keyId})`);
      say(installed.onTrial
        ? `it runs on trial from the next start (systemctl restart wardsight-sensor); slot ${installed.previousSlot ?? '?'} stays as the known good version`
        : 'it is the first release here: start the service with systemctl start wardsight-sensor');
      say(`service launcher: ${installed.launcherScript}`);
    });

  appliance
    .command('update-status')
    .description('Show the installed releases: the running slot, each slot\'s version, a trial in progress, versions known bad, recent events')
    .option('--root <dir>', 'install root of the sensor software (default: /opt/wardsight)')
    .option('--json', 'print the status as JSON')
    .action(async (flags: { root?: string; json?: boolean }) => {
      const { describeUpdateStatus, readUpdateStatus } = await updateModule();
      const status = await readUpdateStatus(flags.root);
      process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : describeUpdateStatus(status));
    });
}
