import type { FastifyDynamicSwaggerOptions, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import { VERSION } from '../core/index.js';
import { COMPONENT_IDS } from './schemas/index.js';

const REF = '#/components/schemas/';

/**
 * The provider writes every schema of zod's global registry that has an id as a component, and an
 * input twin (`<id>Input`) of each next to it. The document keeps the components we name
 * (schemas/components.ts) and any other one something refers to.
 */
const transformObject: SwaggerTransformObject = (document) => {
  // The document is OpenAPI 3.0 (below); the transform's type spans every version.
  const openapi = jsonSchemaTransformObject(document) as OpenAPIV3.Document;
  const schemas = Object.entries(openapi.components?.schemas ?? {});
  const named = schemas.filter(([id]) => COMPONENT_IDS.includes(id));
  const referenced = JSON.stringify([openapi.paths, named]);
  const kept = schemas.filter(([id]) => COMPONENT_IDS.includes(id) || referenced.includes(`"${REF}${id}"`));
  return { ...openapi, components: { ...openapi.components, schemas: Object.fromEntries(kept) } };
};

/** OpenAPI 3 at /openapi.json, generated from the zod schemas of every route, requests and responses. */
export const swaggerOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: { title: 'Automatos API', version: VERSION, description: 'Secure deployment orchestrator' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer atm_…' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
  },
  transform: jsonSchemaTransform,
  transformObject,
};
