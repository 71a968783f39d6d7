/**
 * @nestjs/swagger writes OpenAPI 3.0: a nullable field is `nullable: true`
 * beside its type, `$ref` or `allOf`. Validators and client generators read
 * `nullable` beside `allOf: [$ref]` as "must be the object", and an enum
 * without `null` as "never null". OpenAPI 3.1 says it in plain JSON Schema:
 * `type: [T, "null"]`, `null` in the enum, `anyOf: [$ref, {type: "null"}]`.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const NULL_SCHEMA: JsonObject = { type: 'null' };

/** One schema, its subschemas first, in 3.1 terms. */
export function toJsonSchema(schema: JsonObject): JsonObject {
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) converted[key] = convertChildren(key, value);
  if (converted.nullable !== true) {
    delete converted.nullable;
    return converted;
  }
  delete converted.nullable;
  const { $ref, allOf, oneOf, anyOf } = converted;
  if (typeof $ref === 'string' || (Array.isArray(allOf) && allOf.length === 1)) {
    // `nullable` + a reference: the reference or null. Nest adds `type: object` beside it, which would forbid null again.
    const target: JsonObject = typeof $ref === 'string' ? { $ref } : (allOf as Json[])[0] as JsonObject;
    const { $ref: _ref, allOf: _allOf, type: _type, ...rest } = converted;
    return { ...rest, anyOf: [target, NULL_SCHEMA] };
  }
  if (Array.isArray(oneOf)) return { ...converted, oneOf: [...oneOf, NULL_SCHEMA] };
  if (Array.isArray(anyOf)) return { ...converted, anyOf: [...anyOf, NULL_SCHEMA] };
  const type = converted.type;
  if (typeof type === 'string') converted.type = [type, 'null'];
  else if (Array.isArray(type) && !type.includes('null')) converted.type = [...type, 'null'];
  if (Array.isArray(converted.enum) && !converted.enum.includes(null)) converted.enum = [...converted.enum, null];
  return converted;
}

/** Keys whose values are schemas, lists of schemas or maps of schemas. */
function convertChildren(key: string, value: Json): Json {
  if (key === 'properties' || key === 'patternProperties') {
    return isObject(value) ? Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isObject(child) ? toJsonSchema(child) : child])) : value;
  }
  if (key === 'items' || key === 'additionalProperties' || key === 'not') return isObject(value) ? toJsonSchema(value) : value;
  if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') return Array.isArray(value) ? value.map((child) => (isObject(child) ? toJsonSchema(child) : child)) : value;
  return value;
}

/** Every schema in the document (components, parameters, request and response bodies, headers), as 3.1. */
export function toOpenApi31<T extends object>(document: T): T {
  const convert = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(convert);
    if (!isObject(node)) return node;
    const result: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && isObject(value)) result[key] = toJsonSchema(value);
      else if (key === 'schemas' && isObject(value)) result[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, isObject(schema) ? toJsonSchema(schema) : schema]));
      else if (key === 'examples' || key === 'example') result[key] = value;
      else result[key] = convert(value);
    }
    return result;
  };
  return { ...(convert(document as unknown as Json) as unknown as T), openapi: '3.1.0' };
}
