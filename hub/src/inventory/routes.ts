/** Inventory API: the devices the hub knows, with the evidence for each value. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ATTRIBUTE_PATTERN } from '@wardsight/protocol';
import { HubError } from '../errors.js';
import type { HubStore } from '../store/hub-store.js';
import type { Classifier } from './classification.js';
import { AttributeView, DeviceDetailView, DeviceView, attributeView, deviceDetailView, deviceView } from './views.js';

export async function sensorIndex(store: HubStore) {
  return new Map((await store.listSensors()).map((s) => [s.id, s]));
}

export default async function inventoryRoutes(app: FastifyInstance, opts: { store: HubStore; classifier: Classifier }): Promise<void> {
  const { store, classifier } = opts;

  app.get(
    '/api/v1/devices',
    {
      schema: {
        response: { 200: Type.Object({ devices: Type.Array(DeviceView), count: Type.Integer() }) },
      },
    },
    async () => {
      const sensors = await sensorIndex(store);
      const devices = (await store.listDevices()).map((d) => deviceView(d, sensors, classifier.profile(d)));
      return { devices, count: devices.length };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/devices/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ minLength: 3, maxLength: 64 }) }),
        response: { 200: DeviceDetailView },
      },
    },
    async (request) => {
      const device = await store.getDevice(request.params.id);
      if (!device) throw new HubError('HUB_ERR_NOT_FOUND', `device ${request.params.id}`);
      return deviceDetailView(device, await sensorIndex(store), classifier.profile(device));
    },
  );

  app.get<{ Params: { id: string; attribute: string } }>(
    '/api/v1/devices/:id/attributes/:attribute',
    {
      schema: {
        params: Type.Object({
          id: Type.String({ minLength: 3, maxLength: 64 }),
          attribute: Type.String({ pattern: ATTRIBUTE_PATTERN, maxLength: 64 }),
        }),
        response: { 200: AttributeView },
      },
    },
    async (request) => {
      const device = await store.getDevice(request.params.id);
      if (!device) throw new HubError('HUB_ERR_NOT_FOUND', `device ${request.params.id}`);
      return attributeView(device, request.params.attribute, classifier.profile(device));
    },
  );
}
