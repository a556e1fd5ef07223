/**
 * Exit statuses of `wardsight sensor` that its systemd unit acts on (systemd.service(5) Restart=,
 * RestartPreventExitStatus=, SuccessExitStatus=). The command exits with these; the unit written by
 * `wardsight appliance install` names them, so the two must agree. Values follow sysexits.h where it
 * has a fitting one, and the shell's 128 + signal number for a start ended by a signal.
 */
import { constants } from 'node:os';

export const sensorExitStatus = {
  /**
   * The hub refused enrolment (token unknown, used or expired; sensor revoked; wrong bundle): trying
   * again cannot help, so the unit does not restart on it (RestartPreventExitStatus=). sysexits.h
   * EX_CONFIG: the sensor's configuration bundle must be replaced.
   */
  enrolmentRefused: 78,
  /**
   * The version on trial failed its health check and was rolled back: the unit restarts it
   * (Restart=on-failure), and the launcher then starts the previous version. sysexits.h EX_TEMPFAIL.
   */
  trialRolledBack: 75,
  /** SIGTERM arrived while the sensor was still starting (enrolment waiting for the hub): a requested stop. */
  stoppedWhileStarting: 128 + constants.signals.SIGTERM,
  /** SIGINT (Ctrl-C) arrived while the sensor was still starting. */
  interruptedWhileStarting: 128 + constants.signals.SIGINT,
} as const;

/** The status for a start ended by `signal`. */
export function startStoppedBy(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
