import {
  Inject,
  Optional,
  type InjectionToken,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import {
  prepareFalkorWebhookRoute,
  type FalkorWebhookGuardAsyncOptions,
  type FalkorWebhookRoute,
} from './falkor-webhook.route.js';

function isOptionalDependency(
  dependency: InjectionToken | OptionalFactoryDependency,
): dependency is OptionalFactoryDependency {
  return typeof dependency === 'object' && dependency !== null && 'token' in dependency;
}

/**
 * A class whose constructor takes the factory's dependencies, so that Nest resolves them exactly
 * as for a provider of the module (its providers, its imports' exports, global modules).
 */
function dependencyHost(inject: readonly (InjectionToken | OptionalFactoryDependency)[]) {
  class FalkorWebhookGuardDependencies {
    readonly values: unknown[];
    constructor(...values: unknown[]) {
      this.values = values;
    }
  }
  inject.forEach((dependency, index) => {
    const token = isOptionalDependency(dependency) ? dependency.token : dependency;
    Inject(token)(FalkorWebhookGuardDependencies, undefined, index);
    if (isOptionalDependency(dependency) && dependency.optional) {
      Optional()(FalkorWebhookGuardDependencies, undefined, index);
    }
  });
  return FalkorWebhookGuardDependencies;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the `useFactory` of one `@FalkorWebhook({ useFactory, inject })` with its dependencies
 * resolved in the controller's module, then checks what it gave.
 *
 * @param moduleRef - the module that declares the controller (the guard's own)
 * @param factory - the decorator's `useFactory` and `inject`
 * @param where - the decorated class or method, for error messages
 * @returns the route's checked options
 * @throws FalkorConfigurationError when a dependency cannot be resolved, the factory fails, or an
 *   option it gave is invalid
 */
export async function resolveFalkorWebhookFactory(
  moduleRef: ModuleRef,
  factory: FalkorWebhookGuardAsyncOptions,
  where: string,
): Promise<FalkorWebhookRoute> {
  const owner = `@FalkorWebhook() on ${where}`;
  let dependencies: unknown[];
  try {
    dependencies = (await moduleRef.create(dependencyHost(factory.inject ?? []))).values;
  } catch (error) {
    throw new FalkorConfigurationError(
      `${owner}: a provider named in "inject" is not available in the controller's module: ` +
        'import its module there (or make it global, e.g. ConfigModule.forRoot({ isGlobal: true })). ' +
        messageOf(error),
      { cause: error },
    );
  }
  let options: unknown;
  try {
    options = await factory.useFactory(...dependencies);
  } catch (error) {
    throw new FalkorConfigurationError(
      `${owner}: "useFactory" failed, so the route has no options: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return prepareFalkorWebhookRoute(options as never, owner);
}
