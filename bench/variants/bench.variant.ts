import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';

/**
 * One benchmark server: its root module and the set-up of each adapter, done as that variant's
 * author would (the module's README Quick start, or what one writes without the package).
 */
export interface BenchVariant {
  /** The app's root module. */
  readonly module: Type<unknown>;
  /** Options of the Fastify instance. */
  readonly fastifyOptions: FastifyServerOptions;
  /** Mounts body parsers on the Express app, before it listens. */
  readonly setUpExpress: (app: NestExpressApplication) => void;
  /** Mounts body parsers on the Fastify app, before it listens. */
  readonly setUpFastify: (app: NestFastifyApplication) => void;
}
