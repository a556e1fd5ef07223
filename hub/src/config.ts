/** The hub's options, their defaults and where things live in its data directory. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HubOptions {
  dataDir: string;
  /** Address both listeners bind to. */
  host: string;
  /** MQTT over TLS; 0 picks a free port (tests). */
  mqttPort: number;
  /** HTTPS API and dashboard; 0 picks a free port (tests). */
  apiPort: number;
  /** Extra names and addresses for the hub's certificate, beyond localhost and this host's name. */
  publicNames: string[];
}

/** Where Wardsight keeps its state unless told otherwise: `$WARDSIGHT_HOME`, else `~/.local/share/wardsight`. */
export function wardsightHome(): string {
  return resolve(process.env.WARDSIGHT_HOME ?? join(homedir(), '.local', 'share', 'wardsight'));
}

export function hubDefaults(): HubOptions {
  return { dataDir: join(wardsightHome(), 'hub'), host: '0.0.0.0', mqttPort: 8883, apiPort: 8443, publicNames: [] };
}

export function hubPaths(dataDir: string) {
  return {
    /** Written on every start: where this hub listens, for the command line. */
    endpoint: join(dataDir, 'hub.json'),
    /** The first-run admin credential, mode 0600. */
    adminCredential: join(dataDir, 'admin-credential.json'),
    store: join(dataDir, 'store'),
  };
}

export interface HubEndpoint {
  apiUrl: string;
  mqttUrl: string;
  caFile: string;
  pid: number;
  startedAt: string;
}
