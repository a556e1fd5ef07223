/**
 * The files that make the sensor a systemd service: the unit `wardsight-sensor.service`
 * (systemd.service(5), systemd.exec(5)), and the sysusers.d(5) and tmpfiles.d(5) lines that give
 * its user and its identity folder to an image staged with `--root`. The service runs as a
 * dedicated system user with only the two capabilities a capture needs (capabilities(7)):
 * CAP_NET_RAW to open a packet socket, CAP_NET_ADMIN to put the mirror port in promiscuous mode.
 * With an update root (signed updates, update/layout.ts) the unit starts the root's launcher, which
 * counts the starts of a version on trial and rolls it back, and then runs the slot `current` names.
 */
import { updateLayout } from './update/layout.js';
import { sensorExitStatus } from './install-exit-status.js';

export const installPaths = {
  unitDir: '/etc/systemd/system',
  configDir: '/etc/wardsight',
  /** The sensor's identity: written by the sensor itself when it enrols, so it must stay writable. */
  tlsDir: '/etc/wardsight/tls',
  stateDir: '/var/lib/wardsight',
  logsDir: '/var/log/wardsight',
  sysusers: '/etc/sysusers.d/wardsight.conf',
  tmpfiles: '/etc/tmpfiles.d/wardsight.conf',
  /** The trusted release public key: `wardsight appliance update` checks releases against it. */
  releaseKey: '/etc/wardsight/release.pub',
} as const;

/** The variable that tells `wardsight sensor` where its update root is (see trial-run.ts). */
export const UPDATE_ROOT_VARIABLE = 'WARDSIGHT_UPDATE_ROOT';

/** The directory name systemd creates under /etc, /var/lib and /var/log (StateDirectory= etc.). */
export const SERVICE_DIRECTORY = 'wardsight';
export const UNIT_NAME = 'wardsight-sensor.service';

export interface UnitSettings {
  nodePath: string;
  cliPath: string;
  configFile: string;
  user: string;
  group: string;
  watchdogSec: number;
  restartSec: number;
  /** The install root of signed updates; the unit then starts its launcher rather than `cliPath`. */
  updateRoot: string | undefined;
}

/**
 * One word of a command line as systemd reads it (systemd.syntax(7), systemd.service(5) "Command
 * lines"): `%` is a specifier and is doubled; a word with blanks or quotes is double-quoted.
 */
export function unitWord(word: string): string {
  const escaped = word.replace(/%/g, '%%');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** ExecStart= and what goes with it: the launcher of an update root, or the command itself. */
function startLines(s: UnitSettings): string[] {
  const args = ['sensor', '--config', s.configFile];
  if (s.updateRoot === undefined) return [`ExecStart=${[s.nodePath, s.cliPath, ...args].map(unitWord).join(' ')}`];
  return [
    '# The launcher of the update root records each start of a version on trial (rolling it back past its',
    '# limits), then execs the sensor of the slot `current` names, which so stays the main process.',
    `ExecStart=${[updateLayout(s.updateRoot).launcherScript, ...args].map(unitWord).join(' ')}`,
    `Environment=${unitWord(`${UPDATE_ROOT_VARIABLE}=${s.updateRoot}`)}`,
  ];
}

/** What the service may write besides its own directories. */
function writablePaths(s: UnitSettings): string {
  const paths: string[] = [installPaths.stateDir, installPaths.tlsDir];
  // The launcher and the trial rewrite state.json, the lock and `current` in the root at each start.
  if (s.updateRoot !== undefined) paths.push(s.updateRoot);
  return paths.map(unitWord).join(' ');
}

export function sensorUnit(s: UnitSettings): string {
  return [
    `# ${UNIT_NAME}: a Wardsight floor sensor. Written by \`wardsight appliance install\`;`,
    '# change settings with `systemctl edit wardsight-sensor` rather than here.',
    '[Unit]',
    'Description=Wardsight sensor (passive visibility of medical devices)',
    'Documentation=man:systemd.service(5) man:systemd.exec(5)',
    'Wants=network-online.target',
    'After=network-online.target time-sync.target',
    '',
    '[Service]',
    '# The sensor says READY=1 once capturing, and pings the watchdog from its main loop (sd_notify(3)).',
    'Type=notify',
    '# all, not main: on a board without the native datagram module the sensor notifies through systemd-notify(1), a child process.',
    'NotifyAccess=all',
    ...startLines(s),
    `WatchdogSec=${s.watchdogSec}`,
    `# A version on trial that fails its health check exits ${sensorExitStatus.trialRolledBack} once rolled back: the restart runs the previous one.`,
    'Restart=on-failure',
    `RestartSec=${s.restartSec}`,
    `# Exit status ${sensorExitStatus.enrolmentRefused}: the hub refused enrolment (token used, expired or unknown; sensor revoked).`,
    '# Restarting cannot fix that, so the service stays failed until a new bundle is installed.',
    `RestartPreventExitStatus=${sensorExitStatus.enrolmentRefused}`,
    `# Exit status ${sensorExitStatus.stoppedWhileStarting} (128 + SIGTERM): stopped while still starting, e.g. enrolment waiting for the hub.`,
    `SuccessExitStatus=${sensorExitStatus.stoppedWhileStarting}`,
    '# While it waits to enrol, the sensor extends this with EXTEND_TIMEOUT_USEC= (sd_notify(3)).',
    'TimeoutStartSec=120',
    'TimeoutStopSec=30',
    `User=${s.user}`,
    `Group=${s.group}`,
    `StateDirectory=${SERVICE_DIRECTORY}`,
    'StateDirectoryMode=0700',
    `ConfigurationDirectory=${SERVICE_DIRECTORY}`,
    'ConfigurationDirectoryMode=0755',
    `LogsDirectory=${SERVICE_DIRECTORY}`,
    'LogsDirectoryMode=0750',
    '# Capture needs a packet socket and promiscuous mode, nothing else.',
    'AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN',
    'CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    '# Its store, its identity (written when it enrols at first boot) and, with updates, their root.',
    `ReadWritePaths=${writablePaths(s)}`,
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_PACKET AF_NETLINK',
    'RestrictRealtime=yes',
    'LockPersonality=yes',
    'SystemCallArchitectures=native',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** sysusers.d(5): the service user, for images where `systemd-sysusers` creates users. */
export function sysusersLines(user: string, group: string): string {
  const lines = [`# The Wardsight sensor's service user (${UNIT_NAME}).`];
  if (group !== user) lines.push(`g ${group} -`);
  lines.push(`u ${user} ${group !== user ? `-:${group}` : '-'} "Wardsight sensor" ${installPaths.stateDir} /usr/sbin/nologin`, '');
  return lines.join('\n');
}

/**
 * tmpfiles.d(5): the identity folder belongs to the service user (it enrols into it), private; the
 * update root's own folder is the service user's too (the launcher and the trial write state.json,
 * the lock and `current` there), while the slots and the launcher code in it stay root's.
 */
export function tmpfilesLines(user: string, group: string, updateRoot?: string): string {
  const lines = [
    `# The Wardsight sensor's identity folder (${UNIT_NAME}): its own, private.`,
    `d ${installPaths.tlsDir} 0700 ${user} ${group} -`,
    `Z ${installPaths.tlsDir} ~0700 ${user} ${group} -`,
  ];
  if (updateRoot !== undefined) lines.push('# Its update root: the folder only, not the slots inside.', `d ${tmpfilesPath(updateRoot)} 0755 ${user} ${group} -`);
  return [...lines, ''].join('\n');
}

/** A path in a tmpfiles.d line: `%` doubled (a specifier), C-style escapes for blanks (tmpfiles.d(5)). */
function tmpfilesPath(path: string): string {
  return path.replace(/%/g, '%%').replace(/\\/g, '\\\\').replace(/\s/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
