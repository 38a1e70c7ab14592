/**
 * The OpenAPI 3.1 document, built from the operation table: request bodies and query
 * parameters are the routes' own zod schemas through `z.toJSONSchema` (JSON Schema 2020-12,
 * OpenAPI 3.1's dialect), errors are RFC 9457 problem+json, and the credentials are
 * security schemes. The write key cannot be one: OpenAPI has no scheme for a credential in
 * the body (the SDK's beacons cannot set headers), so those operations carry
 * `security: []` and an `x-heed-credential` naming the body field.
 */
import type { PolicyDocument, WireSchemas } from '@heed/policy';
import { z } from 'zod';
import { PROBLEM_TYPES, type ProblemType } from '../http/problem.js';
import { operationSpecs, PARAMETER_DOCS, type Credential, type OperationSpec, type Payload } from './operations.js';
import { problemSchema } from './response-schemas.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonObject;
  return rest;
}

export const SECURITY_SCHEMES = {
  analystKey: { type: 'http', scheme: 'bearer', description: 'A project\'s secret analyst key: reads statistics only.' },
  adminKey: { type: 'http', scheme: 'bearer', description: 'A project\'s secret admin key: rights requests by user id, the request log and identity verification.' },
  backendKey: { type: 'http', scheme: 'bearer', description: 'A project\'s secret backend key, for the platform\'s server: subject tokens and privacy links for its logged-in users.' },
  subjectToken: { type: 'http', scheme: 'bearer', description: 'A subject token (issued to a verified caller with its decision, or minted by the platform backend): reaches that subject only.' },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'HEED_METRICS_TOKEN. When it is not set, /metrics answers clients on the server\'s own machine (loopback) only.' },
} as const;

const JSON_BODY_TYPES = ['application/json', 'text/plain'];

/** `/v1/x/:id` -> `/v1/x/{id}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function problemResponses(problems: readonly ProblemType[]): JsonObject {
  const byStatus = new Map<number, ProblemType[]>();
  for (const type of [...problems, 'internal' as const]) {
    const status = PROBLEM_TYPES[type].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, types]) => [String(status), {
    description: types.map((type) => `${PROBLEM_TYPES[type].title} (https://heed.dev/problems/${type.replace(/_/g, '-')})`).join('; '),
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  }]));
}

function content(payloads: readonly Payload[], schemas: Map<string, JsonObject>): JsonObject {
  return Object.fromEntries(payloads.map((payload) => {
    if ('media' in payload) return [payload.media, { schema: { type: 'string', description: payload.description } }];
    schemas.set(payload.name, jsonSchema(payload.json, 'output'));
    return ['application/json', { schema: { $ref: `#/components/schemas/${payload.name}` } }];
  }));
}

function parameters(op: OperationSpec): JsonObject[] {
  const inPath = [...op.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!op.query) return inPath;
  const query = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    ...(PARAMETER_DOCS[name] ? { description: PARAMETER_DOCS[name] } : {}),
    schema,
  }));
  return [...inPath, ...inQuery];
}

const security = (credential: Credential) => (credential === 'none' || credential === 'writeKey' ? [] : [{ [credential]: [] }]);

/**
 * @example const document = buildOpenApiDocument(services.schemas, services.policy); document.openapi // '3.1.0'
 */
export function buildOpenApiDocument(wire: WireSchemas, policy: PolicyDocument) {
  const schemas = new Map<string, JsonObject>([['Problem', jsonSchema(problemSchema, 'output')]]);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const op of operationSpecs(wire)) {
    const path = openApiPath(op.path);
    if (op.body) schemas.set(op.body.name, jsonSchema(op.body.schema, 'input'));
    const params = parameters(op);
    (paths[path] ??= {})[op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      security: security(op.credential),
      ...(op.credential === 'writeKey' ? { 'x-heed-credential': { in: 'body', field: 'writeKey', description: 'The project\'s public write key, in the JSON body' } } : {}),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: Object.fromEntries(JSON_BODY_TYPES.map((type) => [type, { schema: { $ref: `#/components/schemas/${op.body!.name}` } }])) } }
        : {}),
      responses: {
        [String(op.ok.status)]: { description: op.ok.description, content: content(op.ok.payloads, schemas) },
        ...problemResponses(op.problems),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Heed',
      version: '1',
      summary: 'Privacy-first usage analytics: consent-gated ingest, subject rights, statistics.',
      description: `Policy in force: ${policy.version}. Errors are application/problem+json (RFC 9457). `
        + 'The SDK routes carry the project\'s public write key in the JSON body (beacons cannot set headers); '
        + 'analyst and admin keys and subject tokens travel as `Authorization: Bearer`. JSON bodies may be sent as application/json or text/plain.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: [...new Set(operationSpecs(wire).map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: { schemas: Object.fromEntries([...schemas].sort(([a], [b]) => a.localeCompare(b))), securitySchemes: SECURITY_SCHEMES },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
