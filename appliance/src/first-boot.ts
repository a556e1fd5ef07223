/**
 * A sensor's identity before it starts: its certificate and key if it has enrolled, otherwise
 * enrolment with the token from its bundle. While the hub cannot be reached the sensor keeps trying
 * (with backoff: a technician may plug sensors in before the hub is up); a refusal is final and is
 * reported as it is, with what to do.
 */
import { access, readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { readEnrolmentText } from '@wardsight/provisioning';
import { discardToken, enrol, EnrolmentRefused, EnrolmentUnavailable } from './enrolment.js';

export const firstBootDefaults = {
  retryMinMs: 2000,
  retryMaxMs: 60_000,
};

export interface IdentityFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface FirstBootOptions {
  sensorId: string;
  tlsDir: string;
  files: IdentityFiles;
  /** The hub API for enrolment, and the file holding the one-time token. */
  enrolUrl?: string;
  tokenFile?: string;
  /** Stops the retries (the sensor is being shut down). */
  signal?: AbortSignal;
  retryMinMs?: number;
  retryMaxMs?: number;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Resolves once the sensor has a certificate and key; enrols first if it has none. */
export async function ensureSensorIdentity(o: FirstBootOptions, log: Logger): Promise<void> {
  if ((await exists(o.files.cert)) && (await exists(o.files.key))) return;
  if (!o.enrolUrl || !o.tokenFile) {
    throw new EnrolmentRefused(
      `this sensor has no certificate in ${o.tlsDir} and no enrolment token to get one; copy its config bundle from \`wardsight provision sensor add ${o.sensorId}\``,
      'NO_TOKEN',
      0,
    );
  }
  const tokenFile = o.tokenFile;
  const token = await readFile(tokenFile, 'utf8').catch((err: unknown) => {
    throw new EnrolmentRefused(`the enrolment token ${tokenFile} cannot be read (${(err as Error).message}); copy the config bundle again`, 'NO_TOKEN', 0);
  });
  const named = readEnrolmentText(token).sensorId;
  if (named !== o.sensorId) {
    throw new EnrolmentRefused(`the enrolment token is for sensor ${named}, but this sensor's configuration says ${o.sensorId}; copy the matching bundle`, 'WRONG_SENSOR', 0);
  }
  let wait = o.retryMinMs ?? firstBootDefaults.retryMinMs;
  for (;;) {
    try {
      const enrolled = await enrol({ enrolUrl: o.enrolUrl, token, tlsDir: o.tlsDir });
      await discardToken(tokenFile);
      log.info({ sensorId: enrolled.sensorId, serial: enrolled.serial }, 'enrolled with the hub');
      return;
    } catch (err) {
      if (!(err instanceof EnrolmentUnavailable)) throw err;
      log.warn({ err: err.message, retryInMs: wait }, 'enrolment not possible yet; trying again');
    }
    if (o.signal?.aborted) throw new Error('enrolment stopped: the sensor is shutting down');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, wait);
      o.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('enrolment stopped: the sensor is shutting down'));
      }, { once: true });
    });
    wait = Math.min(wait * 2, o.retryMaxMs ?? firstBootDefaults.retryMaxMs);
  }
}
