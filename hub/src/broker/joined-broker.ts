/**
 * A hub instance that joins the Mosquitto another instance of the same hub runs: it starts no
 * broker of its own. The instance running the broker lets it in by name (`--join-instance NAME`:
 * its ingest certificate, CN=hub-<name>, gets the hub's rights there and nothing more), and admits
 * and cuts off the sensors.
 */
import type { BrokerChoice } from '../config.js';
import { HubError } from '../errors.js';
import type { HubBroker } from './hub-broker.js';

type JoinChoice = Extract<BrokerChoice, { kind: 'join' }>;

export function joinHubBroker(choice: JoinChoice): Promise<HubBroker> {
  let port: number;
  try {
    const url = new URL(choice.url);
    if (url.protocol !== 'mqtts:') throw new Error('not mqtts://');
    port = Number(url.port || 8883);
  } catch {
    return Promise.reject(new HubError('HUB_ERR_BROKER_KIND', `to join a broker give its mqtts://host:port, not ${JSON.stringify(choice.url)}`));
  }
  return Promise.resolve({ kind: 'join', port, openToSensors: () => undefined, close: () => Promise.resolve() });
}
