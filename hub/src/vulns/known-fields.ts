/**
 * Requests that take only the fields they name. The hub's validator drops an unknown field without
 * a word where a schema says `additionalProperties: false` (fastify's `removeAdditional` default),
 * so a misspelt field (`untill`, `limt`) would be ignored and the request carried out without it.
 * A schema made with `ONLY_NAMED_FIELDS` fails on such a field instead, and `fieldErrors` (set as
 * the routes' schema error formatter) names it.
 */
import { Type } from '@sinclair/typebox';
import type { FastifySchemaValidationError } from 'fastify';

/** `Type.Object` options under which a field the schema does not name is refused, not dropped. */
export const ONLY_NAMED_FIELDS = { additionalProperties: Type.Never() };

/** Fastify's wording of validation errors, with a field the request does not take said as such. */
export function fieldErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const said = errors.map((e) =>
    e.schemaPath.endsWith('/additionalProperties/not') ? `${dataVar}${e.instancePath} is not a field this request takes` : `${dataVar}${e.instancePath} ${e.message ?? 'is not valid'}`,
  );
  return new Error(said.join(', '));
}
