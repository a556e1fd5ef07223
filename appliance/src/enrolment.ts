/**
 * First boot: a sensor with a one-time token and the hub's CA certificate (from its config bundle)
 * makes its own key pair, sends the hub a certificate request with the token over HTTPS (trusting
 * only that CA), and keeps the certificate it gets. The private key is written before the request
 * goes out and never leaves the sensor; a retry after a lost answer sends the same key, which the
 * hub recognises, so a lost answer does not waste the token.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, rename, unlink } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { certificateRequestFor, createCertificateRequest, ensurePrivateDir, fileModes, readEnrolmentText, replaceFile } from '@wardsight/provisioning';

export const enrolmentDefaults = {
  /** How long one enrolment request may take. */
  timeoutMs: 15_000,
};

/** A refusal from the hub that trying again cannot fix (the token is unknown, used, expired; the sensor revoked). */
export class EnrolmentRefused extends Error {
  readonly code = 'APPLIANCE_ERR_ENROLMENT_REFUSED';
  constructor(
    message: string,
    readonly hubCode: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'EnrolmentRefused';
  }
}

/** The hub could not be reached or answered with a server error: worth trying again later. */
export class EnrolmentUnavailable extends Error {
  readonly code = 'APPLIANCE_ERR_ENROLMENT_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnrolmentUnavailable';
  }
}

export interface EnrolmentRequest {
  /** `https://hub:8443`: the hub's API. */
  enrolUrl: string;
  /** The token's text as the bundle's token file holds it: the token, or the enrolment URI of its QR code. */
  token: string;
  /** The folder with the bundle's `ca.crt`; the sensor's `sensor.key` and `sensor.crt` are written here. */
  tlsDir: string;
  timeoutMs?: number;
}

export interface EnrolmentResult {
  sensorId: string;
  serial: string;
  certFile: string;
  keyFile: string;
}

interface EnrolAnswer {
  sensorId: string;
  certificate: string;
  ca: string;
  serial: string;
}

function post(url: URL, body: string, ca: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Enrols the sensor; resolves with its identity, or throws EnrolmentRefused / EnrolmentUnavailable. */
export async function enrol(req: EnrolmentRequest): Promise<EnrolmentResult> {
  const { sensorId, token } = readEnrolmentText(req.token);
  const caFile = join(req.tlsDir, 'ca.crt');
  const ca = await readFile(caFile, 'utf8').catch((err: unknown) => {
    throw new EnrolmentRefused(`the hub's CA certificate ${caFile} is missing (${(err as Error).message}); copy the whole config bundle onto the sensor`, 'NO_CA', 0);
  });
  await ensurePrivateDir(req.tlsDir);
  const keyFile = join(req.tlsDir, 'sensor.key');
  const pendingKey = join(req.tlsDir, 'sensor.key.pending');
  const certFile = join(req.tlsDir, 'sensor.crt');

  // Keep the key of an attempt whose answer was lost: the hub gives that key its certificate again.
  let keyPem = await readFile(pendingKey, 'utf8').catch(() => '');
  let csrPem = keyPem ? await certificateRequestFor(sensorId, keyPem).catch(() => '') : '';
  if (!csrPem) {
    const pair = await createCertificateRequest(sensorId);
    keyPem = pair.keyPem;
    csrPem = pair.csrPem;
    await replaceFile(pendingKey, keyPem, fileModes.privateKey);
  }

  const url = new URL('/api/v1/enrol', req.enrolUrl);
  let answer: { status: number; text: string };
  try {
    answer = await post(url, JSON.stringify({ token, csr: csrPem }), ca, req.timeoutMs ?? enrolmentDefaults.timeoutMs);
  } catch (err) {
    throw new EnrolmentUnavailable(`cannot reach the hub at ${url.origin} to enrol: ${(err as Error).message}`, { cause: err });
  }
  let body: Partial<EnrolAnswer> & { error?: string; message?: string } = {};
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    // not JSON: described below by its status
  }
  if (answer.status >= 500 || answer.status === 0) throw new EnrolmentUnavailable(`the hub at ${url.origin} failed to enrol this sensor (HTTP ${answer.status}); it will be tried again`);
  if (answer.status !== 201) {
    throw new EnrolmentRefused(`the hub refused enrolment: ${body.message ?? `HTTP ${answer.status}`}`, body.error ?? `HTTP_${answer.status}`, answer.status);
  }
  if (!body.certificate || body.sensorId !== sensorId) throw new EnrolmentUnavailable(`the hub's answer to enrolment is not usable (HTTP ${answer.status})`);
  const certificate = new X509Certificate(body.certificate);
  if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new EnrolmentRefused('the certificate the hub sent is not for this sensor\'s key', 'KEY_MISMATCH', answer.status);
  }
  await replaceFile(certFile, body.certificate, fileModes.certificate);
  await rename(pendingKey, keyFile);
  return { sensorId, serial: certificate.serialNumber, certFile, keyFile };
}

/** Forgets a spent token file; a read-only boot partition may refuse, which is harmless. */
export async function discardToken(tokenFile: string): Promise<void> {
  await unlink(tokenFile).catch(() => undefined);
}
