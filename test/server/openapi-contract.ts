// Checks real responses against the server's own /openapi.json: the status must be documented for
// the operation, the content type listed, and a JSON body must match the documented schema. The
// document's JSON Schemas are turned back into zod (z.fromJSONSchema), so what is checked is the
// document a client reads, not the zod schemas it was generated from.
import { z } from 'zod';
import type { OpenAPIV3 } from 'openapi-types';

export interface Contract {
  /** What is wrong with this response, or null; undocumented operations (unknown routes) pass. */
  check(method: string, path: string, response: Response): Promise<string | null>;
  /** How many responses matched a documented operation. */
  readonly checked: number;
}

interface Operation {
  method: string;
  pattern: RegExp;
  template: string;
  responses: OpenAPIV3.ResponsesObject;
}

const COMPONENTS = '#/components/schemas/';

function operationsOf(doc: OpenAPIV3.Document): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^/}]+\}/g, '[^/]+')}$`);
    for (const method of ['get', 'put', 'post', 'delete'] as const) {
      const op = item?.[method];
      if (op !== undefined) operations.push({ method, pattern, template, responses: op.responses });
    }
  }
  return operations;
}

/** OpenAPI 3.0 JSON Schema (components referred to by $ref) as zod. */
function schemaOf(doc: OpenAPIV3.Document, schema: unknown): z.ZodType {
  // fromJSONSchema resolves local refs under `definitions` only.
  const text = JSON.stringify({ ...(schema as object), definitions: doc.components?.schemas ?? {} });
  const local = JSON.parse(
    text.replaceAll(`"${COMPONENTS}`, '"#/definitions/'),
  ) as z.core.JSONSchema.JSONSchema;
  return z.fromJSONSchema(local, { defaultTarget: 'openapi-3.0', registry: z.registry() });
}

/** `doc`: what /openapi.json serves (read in process, so that it spends no rate limit). */
export function openApiContract(doc: OpenAPIV3.Document): Contract {
  const operations = operationsOf(doc);
  const schemas = new Map<string, z.ZodType>();
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    async check(method, path, response) {
      const route = path.split('?')[0] ?? '';
      const op = operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(route));
      if (op === undefined) return null;
      checked += 1;
      const where = `${method} ${op.template} answered ${response.status}`;
      const status = String(response.status);
      const documented = op.responses[status] as OpenAPIV3.ResponseObject | undefined;
      if (documented === undefined) return `${where}, a status the document does not list`;
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (documented.content === undefined) {
        const text = await response.clone().text();
        return text === '' ? null : `${where} with a body, where the document says there is none`;
      }
      const media = documented.content[mediaType];
      if (media === undefined) {
        return `${where} with ${mediaType || 'no content type'}, not one of ${Object.keys(documented.content).join(', ')}`;
      }
      // A stream is not read here: the test reading it would wait for its end.
      if (mediaType !== 'application/json') return null;
      const key = `${op.method} ${op.template} ${status}`;
      const schema = schemas.get(key) ?? schemaOf(doc, media.schema);
      schemas.set(key, schema);
      const result = schema.safeParse(JSON.parse(await response.clone().text()));
      return result.success
        ? null
        : `${where} with a body the document does not describe: ${z.prettifyError(result.error)}`;
    },
  };
}
