import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** What a response looked like on the wire. */
export interface ObservedResponse {
  readonly method: string;
  /** Path and query, as requested. */
  readonly url: string;
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON, text, or undefined for no body. */
  readonly body: unknown;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { responses?: Record<string, unknown>; headers?: Record<string, unknown> };
}

type Json = Record<string, unknown>;

const DOCUMENT_ID = 'https://suborg-gateway.test/openapi.json';

const pointer = (...segments: string[]): string => `${DOCUMENT_ID}#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Checks responses against an OpenAPI 3.1 document with a JSON Schema
 * validator we did not write (ajv, draft 2020-12, with formats): the status is
 * documented for the operation, the content type is one it lists, the body
 * matches its schema, every required header is there and every documented
 * header matches its schema. Returns the violations, as sentences.
 */
export class OpenApiValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });

  constructor(private readonly document: OpenApiDocument) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...(document as unknown as Json), $id: DOCUMENT_ID });
  }

  /** The documented response for this answer: the operation's, or for a route or method the document has no operation for, the shared one. */
  private documented(method: string, path: string, status: number): { response: Json; where: string[] } | string {
    const template = this.templateOf(path);
    const operationMethod = method === 'HEAD' ? 'get' : method.toLowerCase();
    if (template === undefined) {
      return status === 404 ? this.shared('NotFound') : `no documented path matches ${path} (status ${status})`;
    }
    const operation = this.document.paths[template][operationMethod];
    if (operation === undefined) return status === 405 ? this.shared('MethodNotAllowed') : `${method} ${template} is not documented (status ${status})`;
    const response = operation.responses[String(status)] as Json | undefined;
    if (response === undefined) return `${method} ${template} does not document status ${status}`;
    return this.resolve(response, ['paths', template, operationMethod, 'responses', String(status)]);
  }

  private shared(name: string): { response: Json; where: string[] } | string {
    const response = this.document.components.responses?.[name] as Json | undefined;
    return response === undefined ? `components.responses.${name} is missing` : { response, where: ['components', 'responses', name] };
  }

  private resolve(node: Json, where: string[]): { response: Json; where: string[] } {
    const ref = node.$ref;
    if (typeof ref !== 'string') return { response: node, where };
    const segments = ref.replace(/^#\//, '').split('/');
    let target: unknown = this.document;
    for (const segment of segments) target = (target as Json)[segment];
    return { response: target as Json, where: segments };
  }

  private templateOf(path: string): string | undefined {
    const bare = path.split('?')[0];
    return Object.keys(this.document.paths).find((template) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
  }

  violations(observed: ObservedResponse): string[] {
    const found = this.documented(observed.method, observed.url, observed.status);
    const label = `${observed.method} ${observed.url.slice(0, 120)} -> ${observed.status}`;
    if (typeof found === 'string') return [`${label}: ${found}`];
    const { response, where } = found;
    const problems: string[] = [];
    const content = response.content as Record<string, unknown> | undefined;
    const contentType = String(observed.headers['content-type'] ?? '').split(';')[0].trim();
    const hasBody = observed.body !== undefined && observed.method !== 'HEAD';
    if (content === undefined) {
      if (hasBody) problems.push(`a body where the document says there is none`);
    } else if (!(contentType in content)) {
      problems.push(`content type ${contentType || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
    } else if (hasBody && (content[contentType] as Json).schema !== undefined) {
      const validate = this.ajv.getSchema(pointer(...where, 'content', contentType, 'schema')) ?? this.ajv.compile({ $ref: pointer(...where, 'content', contentType, 'schema') });
      if (!validate(observed.body)) problems.push(...(validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message ?? ''}`));
    }
    for (const [name, declared] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const { response: header, where: headerWhere } = this.resolve(declared, [...where, 'headers', name]);
      const value = observed.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required === true) problems.push(`required header ${name} is missing`);
        continue;
      }
      const schema = header.schema as Json | undefined;
      const text = Array.isArray(value) ? value.join(', ') : value;
      const typed = schema?.type === 'integer' || schema?.type === 'number' ? Number(text) : text;
      const validate = this.ajv.compile({ $ref: pointer(...headerWhere, 'schema') });
      if (!validate(typed)) problems.push(`header ${name}: ${JSON.stringify(text)} ${validate.errors?.map((error) => error.message).join('; ')}`);
    }
    return problems.map((problem) => `${label}: ${problem}`);
  }

  /** Every example in the document against the schema beside it. */
  exampleViolations(): string[] {
    const problems: string[] = [];
    const visit = (node: unknown, where: string[]): void => {
      if (typeof node !== 'object' || node === null) return;
      const object = node as Json;
      if (object.schema !== undefined && object.example !== undefined && where.at(-2) === 'content') {
        const validate = this.ajv.compile({ $ref: pointer(...where, 'schema') });
        if (!validate(object.example)) problems.push(`${where.join('.')}: example ${validate.errors?.map((error) => `${error.instancePath} ${error.message}`).join('; ')}`);
      }
      for (const [key, value] of Object.entries(object)) if (key !== 'example' && key !== 'examples') visit(value, [...where, key]);
    };
    visit(this.document.paths, ['paths']);
    visit(this.document.components.responses, ['components', 'responses']);
    return problems;
  }
}
