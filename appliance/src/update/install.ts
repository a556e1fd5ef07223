/**
 * Installing a signed release on a sensor. The manifest's signature is checked against the trusted
 * release key before anything is extracted; the version must be newer than the running one, not
 * marked bad, and allowed to update from it. The payload is then written into `slots/.incoming` while
 * every file is checked against the signed manifest, and only a complete, matching tree replaces the
 * inactive slot — a refused bundle leaves both slots, `current` and the state as they were. Finally
 * the trial is recorded and `current` is switched; the service's next start runs the new version.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import {
  checkReleaseContent,
  compareReleaseVersions,
  isProvisioningError,
  loadReleasePublicKey,
  openSignedRelease,
  parseReleasePublicKey,
  ProvisioningErrorCode,
  type SignedRelease,
} from '@wardsight/provisioning';
import { readLinkTarget, syncDirectory } from './atomic-file.js';
import { UpdateError, type UpdateErrorCode } from './errors.js';
import { installLauncher, type LauncherOptions } from './launcher-install.js';
import { clampOption, otherSlot, SLOT_NAMES, updateBounds, updateDefaults, updateLayout, type SlotName, type UpdateLayout } from './layout.js';
import { withUpdateLock } from './lock.js';
import { alignCurrent, silentUpdateLog, type UpdateLog } from './trial.js';
import { readUpdateState, withEvent, writeUpdateState, type UpdateState } from './update-state.js';

export interface InstallReleaseOptions {
  /** Install root; default /opt/wardsight. */
  root?: string;
  /** The trusted release public key: a KeyObject or its PEM text. */
  publicKey: KeyObject | string;
  /** The version running now; default the version recorded for the active slot. */
  currentVersion?: string;
  /** Starts the new version gets to confirm itself (clamped to 1–10). */
  maxAttempts?: number;
  /** Seconds from its first start within which the new version must confirm itself (clamped to 30 s–1 day). */
  trialDeadlineS?: number;
  lockWaitMs?: number;
  launcher?: LauncherOptions;
  log?: UpdateLog;
}

export interface InstalledRelease {
  version: string;
  slot: SlotName;
  /** The slot a rollback returns to; null for the first release on a sensor (nothing to return to). */
  previousSlot: SlotName | null;
  onTrial: boolean;
  keyId: string;
  files: number;
  bytes: number;
  launcherScript: string;
}

/** Provisioning's refusals of a bundle, as the sensor reports them. */
const REFUSALS: Partial<Record<string, UpdateErrorCode>> = {
  [ProvisioningErrorCode.ReleaseSignature]: 'APPLIANCE_ERR_UPDATE_SIGNATURE',
  [ProvisioningErrorCode.ReleaseTampered]: 'APPLIANCE_ERR_UPDATE_TAMPERED',
  [ProvisioningErrorCode.ReleaseMalformed]: 'APPLIANCE_ERR_UPDATE_MALFORMED',
  [ProvisioningErrorCode.ReleaseVersion]: 'APPLIANCE_ERR_UPDATE_MALFORMED',
  [ProvisioningErrorCode.ReleaseKeyInvalid]: 'APPLIANCE_ERR_UPDATE_PUBLIC_KEY',
};

function asUpdateError(error: unknown): unknown {
  const code = isProvisioningError(error) ? REFUSALS[error.code] : undefined;
  return code ? new UpdateError(code, error instanceof Error ? error.message : String(error), { cause: error }) : error;
}

export async function installRelease(bundlePath: string, options: InstallReleaseOptions): Promise<InstalledRelease> {
  const layout = updateLayout(options.root ?? updateDefaults.root);
  const log = options.log ?? silentUpdateLog;
  await mkdir(layout.slotsDir, { recursive: true, mode: 0o755 });
  return withUpdateLock(layout, async () => {
    const state = await readUpdateState(layout);
    if (state.trial) {
      throw new UpdateError(
        'APPLIANCE_ERR_UPDATE_TRIAL_PENDING',
        `version ${state.trial.version} is on trial in slot ${state.trial.slot} since ${state.trial.since}; it must confirm itself healthy or be rolled back before the next update`,
      );
    }
    const publicKey = typeof options.publicKey === 'string' ? wrap(() => parseReleasePublicKey(options.publicKey as string)) : options.publicKey;
    const release = await openSignedRelease(bundlePath, publicKey).catch((error: unknown) => Promise.reject(asUpdateError(error)));
    const running = state.active ?? (await slotOfCurrent(layout));
    assertAcceptable(release, state, running, options.currentVersion);
    const slot: SlotName = running === null ? 'a' : otherSlot(running);
    const summary = await extractIntoSlot(layout, release, slot);
    const launcherScript = await installLauncher(layout, options.launcher);
    const version = release.manifest.version;
    const slots = { ...state.slots, [slot]: { version, installedAt: new Date().toISOString() } };
    const next: UpdateState =
      running === null
        ? { ...state, active: slot, slots }
        : {
            ...state,
            slots,
            active: running,
            trial: {
              slot,
              previous: running,
              version,
              since: new Date().toISOString(),
              firstStartAt: null,
              attempts: 0,
              maxAttempts: clampOption(options.maxAttempts, updateDefaults.maxAttempts, updateBounds.maxAttempts),
              deadlineS: clampOption(options.trialDeadlineS, updateDefaults.trialDeadlineS, updateBounds.trialDeadlineS),
            },
          };
    await writeUpdateState(layout, withEvent(next, { kind: 'installed', version, slot, detail: running === null ? 'first release' : `from slot ${running}` }));
    await alignCurrent(layout, next, log);
    log.info({ version, slot, previousSlot: running, keyId: release.keyId }, 'release installed; the next start runs it on trial');
    return { version, slot, previousSlot: running, onTrial: running !== null, keyId: release.keyId, files: summary.files, bytes: summary.bytes, launcherScript };
  }, options.lockWaitMs);
}

/** Reads the trusted release public key (default /etc/wardsight/release.pub); refusals carry APPLIANCE_ERR_UPDATE_PUBLIC_KEY. */
export async function loadTrustedReleaseKey(path: string = updateDefaults.publicKeyPath): Promise<KeyObject> {
  return loadReleasePublicKey(path).catch((error: unknown) => Promise.reject(asUpdateError(error)));
}

function wrap<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asUpdateError(error);
  }
}

/** The slot `current` points at, for a root set up before it had a state. */
async function slotOfCurrent(layout: UpdateLayout): Promise<SlotName | null> {
  const target = await readLinkTarget(layout.current);
  if (target === null) return null;
  const slot = SLOT_NAMES.find((name) => target === layout.slotLinkTarget(name) || target === layout.slot(name));
  if (!slot) throw new UpdateError('APPLIANCE_ERR_UPDATE_LAYOUT', `${layout.current} points to ${target}, not to one of the slots ${layout.slotsDir}/a or /b`);
  return slot;
}

function assertAcceptable(release: SignedRelease, state: UpdateState, running: SlotName | null, currentVersion: string | undefined): void {
  const version = release.manifest.version;
  const runningVersions = [currentVersion, running === null ? undefined : state.slots[running]?.version].filter((v): v is string => v !== undefined);
  for (const from of runningVersions) {
    if (compareReleaseVersions(version, from) <= 0) {
      throw new UpdateError('APPLIANCE_ERR_UPDATE_OLDER', `release ${version} is not newer than the running ${from}; a sensor only moves forward, so give it a newer release`);
    }
    const minimum = release.manifest.minimumFromVersion;
    if (minimum !== undefined && compareReleaseVersions(from, minimum) < 0) {
      throw new UpdateError('APPLIANCE_ERR_UPDATE_PREREQUISITE', `release ${version} updates from ${minimum} or later, and this sensor runs ${from}: install an intermediate release first`);
    }
  }
  const bad = state.bad.find((b) => b.version === version);
  if (bad) {
    throw new UpdateError('APPLIANCE_ERR_UPDATE_KNOWN_BAD', `release ${version} was rolled back on this sensor at ${bad.at} (${bad.reason}); it will not be installed again — give it a fixed, newer release`);
  }
}

/** Writes and checks the payload in `slots/.incoming`, then puts it in place of `slot`. */
async function extractIntoSlot(layout: UpdateLayout, release: SignedRelease, slot: SlotName): Promise<{ files: number; bytes: number }> {
  await rm(layout.incoming, { recursive: true, force: true });
  await mkdir(layout.incoming, { mode: 0o755 });
  try {
    const summary = await checkReleaseContent(release, { extractTo: layout.incoming });
    await rm(layout.slot(slot), { recursive: true, force: true });
    await rename(layout.incoming, layout.slot(slot));
    await syncDirectory(layout.slotsDir);
    return summary;
  } catch (error) {
    await rm(layout.incoming, { recursive: true, force: true });
    throw asUpdateError(error);
  }
}
