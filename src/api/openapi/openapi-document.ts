import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../../config/app-config.js';
import type { Upstream } from '../../upstreams/upstream-definition.js';

/** The OpenAPI document of this gateway as configured: its providers are the ProviderKey enum. */
export function buildOpenApiDocument(app: INestApplication, _config: AppConfig, upstreams: readonly Upstream[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('suborg-gateway')
    .setDescription(
      'One canonical, merged, filterable, sorted and paginated listing of the sub-organizations a customer has on Invent and BlendVision One. ' +
        'Errors are RFC 9457 problem documents (`application/problem+json`).',
    )
    .setVersion('1.0.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This gateway')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'One of the keys in API_KEYS (only enforced when API_KEYS is set).' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Alternative to the bearer header.' }, 'apiKey')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  const schemas = document.components?.schemas;
  if (schemas?.ProviderKey !== undefined) schemas.ProviderKey = { type: 'string', enum: upstreams.map((upstream) => upstream.key), description: 'A configured upstream provider.' };
  // Probes and metrics stay reachable without a key, so they must not inherit the global security requirement.
  for (const [path, item] of Object.entries(document.paths)) {
    if ((path.startsWith('/health/') || path === '/metrics') && item.get) item.get.security = [];
  }
  return document;
}
