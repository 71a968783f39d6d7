import { describe, expect, it } from '@jest/globals';
import { toJsonSchema, toOpenApi31 } from './openapi-31.js';

describe('OpenAPI 3.0 schemas in 3.1 terms', () => {
  it('lets a nullable type, enum and reference be null, in plain JSON Schema', () => {
    expect(toJsonSchema({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(toJsonSchema({ type: 'string', enum: ['a', 'b'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
    expect(toJsonSchema({ nullable: true, type: 'object', description: 'd', allOf: [{ $ref: '#/components/schemas/X' }] })).toEqual({ description: 'd', anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }] });
    expect(toJsonSchema({ type: 'integer' })).toEqual({ type: 'integer' });
    expect(toJsonSchema({ type: 'integer', nullable: false })).toEqual({ type: 'integer' });
  });

  it('converts nested properties and items, and schemas anywhere in the document', () => {
    const document = toOpenApi31({
      openapi: '3.0.0',
      paths: { '/x': { get: { parameters: [{ name: 'p', in: 'query', schema: { type: 'array', items: { type: 'string', nullable: true } } }], responses: {} } } },
      components: { schemas: { A: { type: 'object', properties: { b: { type: 'number', nullable: true }, c: { type: 'array', items: { nullable: true, allOf: [{ $ref: '#/components/schemas/B' }] } } } } } },
    });
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/x'].get.parameters[0].schema).toEqual({ type: 'array', items: { type: ['string', 'null'] } });
    expect(document.components.schemas.A.properties).toEqual({ b: { type: ['number', 'null'] }, c: { type: 'array', items: { anyOf: [{ $ref: '#/components/schemas/B' }, { type: 'null' }] } } });
  });

  it('leaves examples alone', () => {
    const document = toOpenApi31({ openapi: '3.0.0', components: { schemas: {} }, paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { example: { nullable: true } } } } } } } } });
    expect(document.paths['/x'].get.responses[200].content['application/json'].example).toEqual({ nullable: true });
  });
});
