/**
 * The layers of src/, bottom to top; a folder may import only the layers below it:
 *   domain, runtime          canonical model, snapshot/source types, error codes, deadlines; time slicing
 *   config, observability    validated environment; logger, metrics, request context
 *   redis                    connections to the shared cache
 *   upstreams                provider definitions, the HTTP client, the one page walker
 *   snapshots                snapshot store, background walks
 *   listing                  index, filter, sort, page, cursor
 *   api                      controllers, DTOs, problems, guards, rate limits, health, metrics, OpenAPI
 * src/*.ts (main, app.module, app.factory) composes them; dev/ (simulators, demo) may use anything in src/.
 */
const LAYERS = [['domain', 'runtime'], ['config', 'observability'], ['redis'], ['upstreams'], ['snapshots'], ['listing'], ['api']];

const below = (index) => LAYERS.slice(0, index).flat();

/** For each layer: it may import only the layers below it (a layer's own folders may import each other only within themselves). */
const upwardImports = LAYERS.flatMap((layer, index) =>
  layer.map((folder) => ({
    name: `no-upward-import-from-${folder}`,
    comment: `src/${folder}/ may import only ${below(index).map((name) => `src/${name}/`).join(', ') || 'nothing of ours'}`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: '^(src|dev)/', pathNot: [`^src/${folder}/`, ...below(index).map((name) => `^src/${name}/`)] },
  })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upwardImports,
    {
      name: 'no-folder-cycles',
      comment: 'No two folders import each other, directly or through others.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'production-code-never-imports-dev-or-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(dev|test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
