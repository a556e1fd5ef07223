/**
 * Analyst labels API: an analyst states what one device is (its model, say); the label names that
 * device and, as a learned fingerprint, the devices that look like it across the fleet.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { isCategory } from '@wardsight/classify';
import { HubError } from '../errors.js';
import type { HubStore, LabelRecord } from '../store/hub-store.js';
import { signalsOf } from './classification.js';
import { LABEL_ATTRIBUTES, type AnalystLabels, type LabelAttribute } from './label-fingerprints.js';

export const LabelView = Type.Object({
  device: Type.String(),
  attribute: Type.String(),
  value: Type.String(),
  /** The username that made the label. */
  by: Type.String(),
  /** When it was made or last changed (ISO 8601). */
  at: Type.String(),
});
export type LabelView = Static<typeof LabelView>;

const ErrorView = Type.Object({ error: Type.String(), message: Type.String() });

const LabelParams = Type.Object({
  id: Type.String({ minLength: 3, maxLength: 64 }),
  attribute: Type.Union(LABEL_ATTRIBUTES.map((a) => Type.Literal(a))),
});
interface LabelParams {
  id: string;
  attribute: LabelAttribute;
}

const LabelBody = Type.Object({
  // Printable text with something besides spaces in it.
  value: Type.String({ minLength: 1, maxLength: 128, pattern: '^(?=.*\\S)[^\\x00-\\x1f\\x7f]+$' }),
});

const labelView = (label: LabelRecord): LabelView => ({ device: label.deviceKey, attribute: label.attribute, value: label.value, by: label.by, at: label.at });

export default async function labelRoutes(app: FastifyInstance, opts: { store: HubStore; labels: AnalystLabels; now?: () => Date }): Promise<void> {
  const { store, labels } = opts;
  const now = opts.now ?? (() => new Date());

  app.get(
    '/api/v1/labels',
    { schema: { response: { 200: Type.Object({ labels: Type.Array(LabelView), count: Type.Integer() }) } } },
    async () => {
      const all = (await store.listLabels()).map(labelView);
      return { labels: all, count: all.length };
    },
  );

  app.put<{ Params: LabelParams; Body: Static<typeof LabelBody> }>(
    '/api/v1/devices/:id/labels/:attribute',
    { schema: { params: LabelParams, body: LabelBody, response: { 200: LabelView, 400: ErrorView, 404: ErrorView } } },
    async (request, reply) => {
      const { id, attribute } = request.params;
      const value = request.body.value.trim();
      // A category outside the vocabulary would be a value no rule agrees or conflicts with.
      if (attribute === 'category' && !isCategory(value)) {
        return reply.status(400).send({ error: 'HUB_ERR_BAD_REQUEST', message: `${value} is not a device category; use one of the classify vocabulary (e.g. infusion-pump)` });
      }
      const device = await store.getDevice(id);
      if (!device) throw new HubError('HUB_ERR_NOT_FOUND', `device ${id}`);
      const label = await store.putLabel(device.key, attribute, value, request.analyst, now().toISOString());
      labels.set(label, signalsOf(device));
      request.log.info({ device: label.deviceKey, attribute, by: label.by }, 'analyst label set');
      return labelView(label);
    },
  );

  app.delete<{ Params: LabelParams }>(
    '/api/v1/devices/:id/labels/:attribute',
    { schema: { params: LabelParams, response: { 204: Type.Null(), 404: ErrorView } } },
    async (request, reply) => {
      const { id, attribute } = request.params;
      // Whether or not the store still knows the device, its label can be removed.
      if (!(await store.deleteLabel(id, attribute))) throw new HubError('HUB_ERR_NOT_FOUND', `no ${attribute} label on device ${id}`);
      labels.remove(id, attribute);
      request.log.info({ device: id, attribute, by: request.analyst }, 'analyst label removed');
      return reply.status(204).send();
    },
  );
}
