/**
 * Signed software updates on a sensor: install a release into the inactive slot, switch to it, keep
 * it on trial until it confirms itself healthy, roll back when it does not. The release format and
 * its verification are provisioning's (`signRelease`, `verifyRelease`).
 */
export { UPDATE_ERRORS, UpdateError, isUpdateError, type UpdateErrorCode } from './errors.js';
export { SLOT_NAMES, updateBounds, updateDefaults, updateLayout, type SlotName, type UpdateLayout } from './layout.js';
export { readUpdateState, type BadVersion, type SlotRecord, type TrialRecord, type UpdateEvent, type UpdateState } from './update-state.js';
export { confirmTrial, recordStart, rollBackTrial, type StartDecision, type TrialOutcome, type UpdateLog } from './trial.js';
export { installLauncher, launcherScript, LAUNCHER_MODULES, type LauncherOptions } from './launcher-install.js';
export { installRelease, loadTrustedReleaseKey, type InstalledRelease, type InstallReleaseOptions } from './install.js';
export { commandHealthCheck, healthCheckDefaults, runTrialHealthCheck, type HealthCheck, type HealthReport, type TrialCheckOutcome, type TrialHealthCheckOptions } from './health-check.js';
export { describeUpdateStatus, readUpdateStatus, type UpdateStatus } from './status.js';
