/**
 * A hub whose sensors connect to Mosquitto, which the hub runs as its child. At start the hub brings
 * the revocation list in step with the sensor register, writes the broker directory
 * (mosquitto-config.ts) and starts Mosquitto; from then on the register drives the broker through
 * its dynamic-security plugin (mosquitto-access.ts). The rule: every sensor the register holds and
 * has not revoked has a sensor's rights, and every certificate it retired is refused.
 *
 *   - a sensor is admitted when it is added, not when it enrols: its certificate is issued in the
 *     enrolment answer, and a sensor that connects straight after must find its rights in place
 *     (no certificate for that id is valid before, and enrolment does not wait for the broker);
 *   - a certificate the register retires (revoked, or replaced by new hardware) goes into the CRL,
 *     Mosquitto reloads it and the sensor's sessions are ended: it is gone within a second, and each
 *     reconnect fails at the TLS handshake with "certificate revoked". A revoked sensor loses its
 *     rights; a replaced one keeps them, without a gap, for the certificate its new hardware gets;
 *   - the CRL is renewed before its nextUpdate, on the same daily timer as the embedded broker's.
 *
 * Mosquitto checks the CA and the CRL, never the register: any unrevoked certificate the CA issued
 * for a registered sensor id connects with that sensor's rights (the embedded broker also insists
 * on the enrolled serial). A revocation Mosquitto did not confirm is logged as an error; the next
 * hub start writes the broker's clients and CRL from the register again.
 */
import { mkdir } from 'node:fs/promises';
import type { BrokerChoice } from '../config.js';
import { hubPaths, localAddress } from '../config.js';
import type { EnrolmentRecord } from '../sensors/enrolment-record.js';
import type { HubBroker, HubBrokerContext } from './hub-broker.js';
import { MosquittoAccessControl } from './mosquitto-access.js';
import { brokerOwner, mosquittoConfigDefaults, writeMosquittoConfig } from './mosquitto-config.js';
import { openPassage } from './mosquitto-passage.js';
import { startMosquitto, type MosquittoProcess } from './mosquitto-process.js';
import { RevocationList, revocationListDefaults } from './revocation-list.js';

type MosquittoChoice = Extract<BrokerChoice, { kind: 'mosquitto' }>;

export async function startMosquittoHubBroker(choice: MosquittoChoice, ctx: HubBrokerContext): Promise<HubBroker> {
  const { dataDir, registry, log } = ctx;
  const configDir = choice.configDir ?? hubPaths(dataDir).mosquitto;
  const user = choice.user ?? mosquittoConfigDefaults.user;

  // The CRL Mosquitto loads lists every certificate the register retired, even while the hub was down.
  await (await RevocationList.open({ dataDir, register: registry, log })).close();
  const owner = await brokerOwner(user);
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  if (owner) await openPassage(dataDir, configDir, owner);
  /** Each registered sensor's state, kept from the register's 'changed' events as they come. */
  const states = new Map((await registry.list()).map((record) => [record.id, record.state]));
  const admitted = new Set([...states].filter(([, state]) => state !== 'revoked').map(([id]) => id));
  /** Admissions under way: an enrolment answers once its sensor's rights are in place. */
  const admitting = new Map<string, Promise<void>>();
  await writeMosquittoConfig(configDir, { hubDataDir: dataDir, host: ctx.host, port: ctx.port, sensors: [...admitted], hubInstances: choice.instances ?? [], user });

  const mosquitto: MosquittoProcess = await startMosquitto(configDir, { binary: choice.binary, log });
  let access: MosquittoAccessControl;
  try {
    access = await MosquittoAccessControl.open({ hubDataDir: dataDir, configDir, url: `mqtts://${localAddress(ctx.host)}:${mosquitto.port}`, reload: () => mosquitto.reload(), log });
  } catch (error) {
    await mosquitto.stop();
    throw error;
  }

  const admit = (sensorId: string) => {
    admitted.add(sensorId);
    const done = access.admit(sensorId).catch((err: unknown) => {
      admitted.delete(sensorId);
      log.error({ err, sensorId }, 'Mosquitto did not admit the sensor: it connects but may not publish until the hub is restarted');
    });
    admitting.set(sensorId, done);
    void done.finally(() => {
      if (admitting.get(sensorId) === done) admitting.delete(sensorId);
    });
  };
  const changed = (record: EnrolmentRecord) => {
    states.set(record.id, record.state);
    if (record.state !== 'revoked' && !admitted.has(record.id)) admit(record.id);
  };
  // 'changed' comes before 'retired' for the same change, so the state read here is the new one.
  const retired = (sensorId: string, serials: string[]) => {
    const failed = (serial?: string) => (err: unknown) =>
      log.error({ err, sensorId, serial }, 'Mosquitto did not confirm the revocation: the sensor may still be connected; restart the hub to apply the register');
    if (states.get(sensorId) === 'revoked') {
      const wasAdmitted = admitted.delete(sensorId);
      for (const serial of serials) access.revoke(sensorId, serial).catch(failed(serial));
      if (serials.length === 0 && wasAdmitted) access.dismiss(sensorId).catch(failed());
      return;
    }
    // Replaced: the old certificate goes, the sensor's rights stay for the new hardware.
    for (const serial of serials) access.retire(sensorId, serial).catch(failed(serial));
    if (!admitted.has(sensorId)) admit(sensorId);
  };
  registry.on('changed', changed);
  registry.on('retired', retired);
  const renewal = setInterval(
    () => void access.renewCrl().catch((err: unknown) => log.error({ err }, 'the certificate revocation list was not renewed for Mosquitto; it is tried again later')),
    revocationListDefaults.renewCheckMs,
  );
  renewal.unref();

  return {
    kind: 'mosquitto',
    port: mosquitto.port,
    // Mosquitto lets sensors in as soon as it runs; what they send before the hub subscribes is
    // sent again from the sensors' outboxes, since no acknowledgement came for it.
    openToSensors: () => undefined,
    whenAdmitted: (sensorId: string) => admitting.get(sensorId) ?? Promise.resolve(),
    async close() {
      registry.off('changed', changed);
      registry.off('retired', retired);
      clearInterval(renewal);
      await access.close();
      await mosquitto.stop();
    },
  };
}
