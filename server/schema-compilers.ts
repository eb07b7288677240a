/**
 * Fastify's JSON-schema compilers (ajv to validate, fast-json-stringify to serialise), loaded the
 * first time a route declares a schema. kefu's routes validate with zod and declare none, and
 * Fastify would otherwise load and build both at every start (about 60 ms). A bot's own route with
 * a schema gets the very same compilers, once, when it is registered.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;

export function lazySchemaCompilers(): Pick<FastifyServerOptions, 'schemaController'> {
  // Fastify's own dependencies: resolved from where Fastify is, as Fastify resolves them.
  const fromFastify = createRequire(require.resolve('fastify'));
  let validator: ValidatorFactory | undefined;
  let serializer: SerializerFactory | undefined;
  const buildValidator: ValidatorFactory = (...args) => {
    validator ??= (fromFastify('@fastify/ajv-compiler') as () => ValidatorFactory)();
    return validator(...args);
  };
  const buildSerializer: SerializerFactory = (...args) => {
    serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();
    return serializer(...args);
  };
  return { schemaController: { compilersFactory: { buildValidator, buildSerializer } } };
}
