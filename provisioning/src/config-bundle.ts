/**
 * The config bundle a technician copies onto a new sensor's boot partition: its configuration
 * (`wardsight.yaml`), the hub's CA certificate (the only one it will trust), its one-time enrolment
 * token (0600), the token as a QR code, and a short note on what to do with it. Nothing in it lets
 * anyone but that sensor, once, before the token expires, into the hub.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import { Document } from 'yaml';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { fileModes, replaceFile } from './file-modes.js';
import { enrolmentUri } from './enrolment-token.js';

export const BUNDLE_FILES = {
  config: 'wardsight.yaml',
  ca: 'tls/ca.crt',
  token: 'enrol.token',
  qrPng: 'enrol-qr.png',
  readme: 'README.txt',
} as const;

export interface BundleLocation {
  site: string;
  building?: string;
  floor: string;
  zone?: string;
  room?: string;
}

export interface ConfigBundleRequest {
  outDir: string;
  sensorId: string;
  sensorName: string;
  token: string;
  expiresAt: string;
  caPem: string;
  /** `mqtts://host:8883`: where the sensor publishes. */
  mqttUrl: string;
  /** `https://host:8443`: where it enrols. */
  apiUrl: string;
  location: BundleLocation;
  capture: { interface: string } | { file: string };
  /** Where the sensor keeps its store; relative paths are taken from the bundle. */
  dataDir?: string;
  /** Overwrite a bundle already in `outDir` (a replacement's new token). */
  replace?: boolean;
}

export interface ConfigBundle {
  dir: string;
  configFile: string;
  tokenFile: string;
  qrPng: string;
  /** The QR code for a terminal (text with ANSI colours). */
  qrTerminal: string;
  /** What the QR code holds. */
  uri: string;
}

/** The sensor configuration the bundle carries, as commented YAML. */
export function bundleConfigYaml(req: ConfigBundleRequest): string {
  const doc = new Document({
    sensorId: req.sensorId,
    sensorName: req.sensorName,
    hub: { url: req.mqttUrl, enrolUrl: req.apiUrl },
    tlsDir: 'tls',
    dataDir: req.dataDir ?? 'data',
    enrolment: { tokenFile: BUNDLE_FILES.token },
    location: req.location,
    capture: req.capture,
  });
  doc.commentBefore = [
    ` Wardsight sensor ${req.sensorId} (${req.sensorName}).`,
    ' Made by `wardsight provision sensor`; the sensor enrols with the token beside this file on its',
    ` first start (before ${req.expiresAt}), then connects to the hub with its own certificate.`,
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

function readme(req: ConfigBundleRequest): string {
  return [
    `Wardsight sensor ${req.sensorId}: ${req.sensorName}`,
    `Location: ${[req.location.site, req.location.building, `floor ${req.location.floor}`, req.location.zone, req.location.room].filter(Boolean).join(', ')}`,
    '',
    'Copy this whole folder onto the sensor\'s boot partition (or run `wardsight appliance install --bundle <this folder>`).',
    `The sensor enrols by itself on first start; the token works once and expires at ${req.expiresAt}.`,
    `Hub: ${req.apiUrl} (enrolment), ${req.mqttUrl} (findings).`,
    '',
    'Keep enrol.token secret until the sensor has used it. For new hardware in this place, ask for a new',
    `bundle with \`wardsight provision sensor replace ${req.sensorId}\`.`,
    '',
  ].join('\n');
}

/** Writes the bundle; refuses to write over another bundle unless `replace` is set. */
export async function writeConfigBundle(req: ConfigBundleRequest): Promise<ConfigBundle> {
  const dir = resolve(req.outDir);
  await mkdir(join(dir, 'tls'), { recursive: true, mode: fileModes.privateDir });
  const present = await readdir(dir);
  if (!req.replace && present.includes(BUNDLE_FILES.token)) {
    throw new ProvisioningError(ProvisioningErrorCode.BundleExists, `${dir} already holds a sensor bundle; choose another --out folder, or remove it first`);
  }
  const uri = enrolmentUri(req.token, req.apiUrl);
  const files = {
    configFile: join(dir, BUNDLE_FILES.config),
    tokenFile: join(dir, BUNDLE_FILES.token),
    qrPng: join(dir, BUNDLE_FILES.qrPng),
  };
  await replaceFile(join(dir, BUNDLE_FILES.ca), req.caPem, fileModes.certificate);
  await replaceFile(files.tokenFile, `${req.token}\n`, fileModes.privateKey);
  await replaceFile(files.configFile, bundleConfigYaml(req), fileModes.privateKey);
  await writeFile(join(dir, BUNDLE_FILES.readme), readme(req), { mode: fileModes.certificate });
  // Error correction M (15 %): a printed label survives a scratch.
  await QRCode.toFile(files.qrPng, uri, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
  const qrTerminal = await QRCode.toString(uri, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  return { dir, ...files, qrTerminal, uri };
}
