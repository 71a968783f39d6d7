// Jest runs each test file in its own realm, with its own `Reflect`. The
// CommonJS @nestjs/throttler is loaded by Node's own require in the process's
// main realm (see native-throttler.mjs), and so is the @nestjs/common it
// requires. reflect-metadata keeps its registry on `Reflect` under a global
// symbol; pointing every realm at the main realm's registry lets decorators
// from both copies see each other's metadata, as they do in production where
// there is one realm and one copy.
const { runInThisContext } = require('node:vm');

const mainRealm = runInThisContext('globalThis');
const mainRequire = runInThisContext("process.getBuiltinModule('node:module')").createRequire(__filename);
mainRequire('reflect-metadata');
const registry = Symbol.for('@reflect-metadata:registry');
Object.defineProperty(Reflect, registry, { configurable: true, enumerable: false, writable: false, value: mainRealm.Reflect[registry] });
