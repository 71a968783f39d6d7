import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
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
  // Probes and metrics stay reachable without a key, so they must not inherit the global security requirement.
  for (const [path, item] of Object.entries(document.paths)) {
    if ((path.startsWith('/health/') || path === '/metrics') && item.get) item.get.security = [];
  }
  return document;
}
