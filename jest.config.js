/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // See the file: a CommonJS package that requires ESM-only Nest, which jest cannot load on Node 20.
    '^@nestjs/throttler$': '<rootDir>/test/support/native-throttler.mjs',
  },
  setupFiles: ['<rootDir>/test/support/shared-metadata-registry.cjs', 'reflect-metadata'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json'}],
  },
  testTimeout: 30000,
};
