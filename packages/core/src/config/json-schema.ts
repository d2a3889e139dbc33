/**
 * The JSON Schema of `velocity.yaml`, committed as `docs/velocity.schema.json` for editors.
 *
 * @module
 */
import { z } from 'zod';
import { SECRET_SCHEMAS, velocityConfigSchema } from './schema.js';

/** Identifier of the schema; a URN because the project publishes no schema URL. */
const SCHEMA_ID = 'urn:velocity:schema:velocity.yaml';

/**
 * The JSON Schema (draft 2020-12) of what a user may write in `velocity.yaml`.
 *
 * @remarks
 * Generated from {@link velocityConfigSchema} for its input side, so fields with defaults are optional and carry
 * `default`. Secret fields are `writeOnly: true` and their description says so. Refinements that JSON Schema
 * cannot express (port ranges, reload rules needing `signal` or `command`) are checked only by Velocity.
 *
 * @see {@link https://json-schema.org/draft/2020-12/json-schema-validation#name-readonly-and-writeonly}
 */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(velocityConfigSchema, {
    target: 'draft-2020-12',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      if (SECRET_SCHEMAS.has(zodSchema)) jsonSchema.writeOnly = true;
    },
  });
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'Velocity configuration (velocity.yaml)',
    description:
      'Configuration shared by dep-ci, livepatch, quantum-merge and the dashboard. Any string may hold ${env:NAME} or ${file:PATH} references; write $${ for a literal ${.',
    ...rest,
  };
}
