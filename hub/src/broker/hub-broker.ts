/**
 * The broker a hub runs, embedded or Mosquitto, and how the sensor register drives it. Either way
 * a sensor gets in only with the certificate it enrolled with, a revoked or replaced certificate is
 * cut off within seconds and refused at the next handshake through the CA's revocation list, and
 * the list is renewed before it expires.
 *
 * Embedded: the register answers every connection (`mayConnect`), `cutOff` drops a live sensor,
 * and the revocation list is loaded into the TLS server again whenever it changes.
 * Mosquitto: see mosquitto-hub-broker.ts.
 */
import type { Logger } from 'pino';
import type { BrokerChoice } from '../config.js';
import { HubError } from '../errors.js';
import type { HubMetrics } from '../metrics.js';
import type { SensorRegistry } from '../sensors/registry.js';
import { startBroker } from './broker.js';
import { joinHubBroker } from './joined-broker.js';
import { startMosquittoHubBroker } from './mosquitto-hub-broker.js';
import { RevocationList } from './revocation-list.js';

export interface HubBrokerContext {
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The hub's server identity and CA, for the embedded broker (Mosquitto copies them from `dataDir`). */
  tls: { key: string; cert: string; ca: string };
  registry: SensorRegistry;
  metrics: HubMetrics;
  log: Logger;
}

export interface HubBroker {
  kind: BrokerChoice['kind'];
  /** The port it listens on. */
  port: number;
  /** Lets sensors in once the hub's own subscriber is in place (the embedded broker waits for this). */
  openToSensors(): void;
  /**
   * Resolves once the broker has given a newly registered sensor its rights (where it does so
   * apart from the register, as Mosquitto does), so that an enrolment answers only then.
   */
  whenAdmitted?(sensorId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHubBroker(choice: BrokerChoice, ctx: HubBrokerContext): Promise<HubBroker> {
  switch (choice.kind) {
    case 'embedded':
      return startEmbeddedHubBroker(ctx);
    case 'mosquitto':
      return startMosquittoHubBroker(choice, ctx);
    case 'join':
      return joinHubBroker(choice);
    default:
      throw new HubError('HUB_ERR_BROKER_KIND', JSON.stringify((choice as { kind?: unknown }).kind));
  }
}

async function startEmbeddedHubBroker(ctx: HubBrokerContext): Promise<HubBroker> {
  const { registry, log } = ctx;
  const crl = await RevocationList.open({ dataDir: ctx.dataDir, register: registry, log });
  const broker = await startBroker(
    { host: ctx.host, port: ctx.port, tls: { ...ctx.tls, crl: crl.current.pem }, sensorAccess: (id, serial) => registry.mayConnect(id, serial) },
    ctx.metrics,
    log,
  ).catch(async (error: unknown) => {
    await crl.close();
    throw error;
  });
  const loadCrl = (list: { pem: string }) => broker.loadCrl(list.pem);
  crl.on('issued', loadCrl);
  const retired = (sensorId: string) => {
    broker.cutOff(sensorId, 'its certificate was revoked or replaced');
    crl.sync().catch((err: unknown) =>
      log.error({ err, sensorId }, 'the revoked certificate is not in the revocation list yet: the register still refuses it at connect; it is added at the next revocation or hub start'),
    );
  };
  registry.on('retired', retired);
  return {
    kind: 'embedded',
    port: broker.port,
    openToSensors: () => broker.openToSensors(),
    async close() {
      registry.off('retired', retired);
      await crl.close();
      crl.off('issued', loadCrl);
      await broker.close();
    },
  };
}
