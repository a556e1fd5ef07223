/**
 * Where things are in a Wardsight Mosquitto directory, and the text of its mosquitto.conf. Every
 * option is described in mosquitto.conf(5) of Mosquitto 2.0; the comments say why it is set so.
 */
import { join } from 'node:path';

export interface MosquittoLayout {
  dir: string;
  configFile: string;
  dynsecFile: string;
  logFile: string;
  tlsDir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  crlFile: string;
  /** With a trailing separator: Mosquitto appends the file name to it as it is. */
  persistenceDir: string;
}

export interface MosquittoConfSettings {
  host: string;
  port: number;
  user: string;
  pluginPath: string;
  autosaveIntervalS: number;
  sessionExpiry: string;
  logDenials: boolean;
}

export function mosquittoLayout(dir: string): MosquittoLayout {
  const tlsDir = join(dir, 'tls');
  return {
    dir,
    configFile: join(dir, 'mosquitto.conf'),
    dynsecFile: join(dir, 'dynamic-security.json'),
    logFile: join(dir, 'mosquitto.log'),
    tlsDir,
    caFile: join(tlsDir, 'ca.crt'),
    certFile: join(tlsDir, 'server.crt'),
    keyFile: join(tlsDir, 'server.key'),
    crlFile: join(tlsDir, 'crl.pem'),
    persistenceDir: `${join(dir, 'data')}/`,
  };
}

export function renderMosquittoConf(layout: MosquittoLayout, s: MosquittoConfSettings): string {
  const logTypes = ['error', 'warning', 'notice', 'information', 'subscribe', 'unsubscribe', ...(s.logDenials ? ['debug'] : [])];
  return [
    '# Wardsight external broker, written by the hub. Options: mosquitto.conf(5).',
    '# One set of rules for the one listener.',
    'per_listener_settings false',
    '# Every client has a certificate, hence a username: one without is refused.',
    'allow_anonymous false',
    '',
    '# Sessions, queued QoS 1 messages and retained messages survive a restart.',
    'persistence true',
    `persistence_location ${layout.persistenceDir}`,
    `autosave_interval ${s.autosaveIntervalS}`,
    `persistent_client_expiration ${s.sessionExpiry}`,
    '',
    `log_dest file ${layout.logFile}`,
    '# Mosquitto 2.0 writes "Denied PUBLISH" under the debug type only, which also logs every packet:',
    '# the price of seeing a sensor write under another id. A refused subscription shows as a',
    '# "Received SUBSCRIBE" filter with no grant line ("<client id> <qos> <filter>") after it.',
    ...logTypes.map((type) => `log_type ${type}`),
    'connection_messages true',
    'log_timestamp true',
    'log_timestamp_format %Y-%m-%dT%H:%M:%S',
    '',
    '# When started as root, Mosquitto switches to this account before opening its files.',
    `user ${s.user}`,
    '',
    '# Clients and roles; the hub admits and cuts off sensors through $CONTROL/dynamic-security/v1.',
    `plugin ${s.pluginPath}`,
    `plugin_opt_config_file ${layout.dynsecFile}`,
    '',
    `listener ${s.port} ${s.host}`,
    `cafile ${layout.caFile}`,
    `certfile ${layout.certFile}`,
    `keyfile ${layout.keyFile}`,
    '# Read again on SIGHUP; connections already open are left as they are.',
    `crlfile ${layout.crlFile}`,
    'require_certificate true',
    '# The whole subject (CN, OU, O) is the username, so the role in OU counts, not the CN alone.',
    'use_subject_as_username true',
    '# ... and the client id too: the session belongs to the certificate, whatever id the client',
    '# asks for, so no client can take over (and so disconnect) another one\'s session.',
    'use_username_as_clientid true',
    '# The minimum version, since Mosquitto 2.0.',
    'tls_version tlsv1.2',
    '',
  ].join('\n');
}

/** The listener a configuration written by renderMosquittoConf declares. */
export function readListener(conf: string): { port: number; host: string } | null {
  const match = /^listener (\d+) (\S+)$/m.exec(conf);
  return match ? { port: Number(match[1]), host: match[2] ?? '' } : null;
}
