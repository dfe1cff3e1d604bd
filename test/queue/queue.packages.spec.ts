import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { type BuiltPackage, buildPackage, REPO_ROOT, runNode } from '../support/built-package.js';
import { startTestRedis, type TestRedis } from '../support/redis.server.js';

/** The optional peer dependencies of the `queue` option. */
const QUEUE_PACKAGES = ['bullmq', '@nestjs/bullmq'];

/** Whether a module specifier names one of the queue's packages (or a file of one). */
function isQueuePackage(specifier: string): boolean {
  return QUEUE_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/** The modules a JavaScript file imports: static and literal dynamic imports, re-exports, requires. */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

async function javaScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Makes packages unresolvable, as when they are not installed: every import of them fails with
 * Node's own ERR_MODULE_NOT_FOUND.
 */
const HIDING_HOOKS = `
const hidden = (process.env.FALKOR_HIDDEN_PACKAGES ?? '').split(',').filter(Boolean);
export async function resolve(specifier, context, next) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(name + '/'))) {
    const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
`;

/**
 * Starts an app importing the built package without the queue option, then one with it, and
 * prints how each start-up ended, and whether bullmq itself can be imported.
 */
const PROGRAM = `
import { register } from 'node:module';
register('./hiding.hooks.mjs', import.meta.url);
const outcome = {};
try {
  await import('bullmq');
  outcome.bullmq = 'loaded';
} catch (error) {
  outcome.bullmq = error.code;
}
await import('reflect-metadata');
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { EventEmitterModule } = await import('@nestjs/event-emitter');
const falkor = await import(process.argv[2]);
async function start(options) {
  class AppModule {}
  Module({ imports: [EventEmitterModule.forRoot(), falkor.FalkorWebhookModule.forRoot(options)] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  try {
    await app.init();
    return { started: true };
  } catch (error) {
    return { started: false, error: error.name, configuration: error instanceof falkor.FalkorConfigurationError, message: error.message };
  } finally {
    await app.close().catch(() => undefined);
  }
}
outcome.withoutQueue = await start({ secret: 'test-secret-0123456789' });
const redis = new URL(process.env.FALKOR_REDIS_URL);
outcome.withQueue = await start({
  secret: 'test-secret-0123456789',
  queue: {
    connection: {
      host: redis.hostname,
      port: Number(redis.port || 6379),
      ...(redis.password ? { password: decodeURIComponent(redis.password) } : {}),
    },
    name: process.env.FALKOR_QUEUE_NAME,
  },
});
console.log(JSON.stringify(outcome));
`;

describe('bullmq and @nestjs/bullmq, optional peer dependencies', () => {
  let build: BuiltPackage;
  let redis: TestRedis;
  const name = `falkor-packages-${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    redis = await startTestRedis();
    build = await buildPackage();
    await writeFile(join(build.dir, 'hiding.hooks.mjs'), HIDING_HOOKS);
    await writeFile(join(build.dir, 'hiding.program.mjs'), PROGRAM);
  });
  afterAll(async () => {
    await build?.remove();
    await redis?.stop();
  });

  async function run(hidden: readonly string[]) {
    const result = await runNode(
      join(build.dir, 'hiding.program.mjs'),
      [pathToFileURL(join(build.dir, 'index.js')).href],
      {
        env: {
          FALKOR_HIDDEN_PACKAGES: hidden.join(','),
          FALKOR_REDIS_URL: redis.url,
          FALKOR_QUEUE_NAME: name,
        },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  }

  it('are optional peer dependencies of the package', async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      dependencies?: Record<string, string>;
    };
    for (const name of QUEUE_PACKAGES) {
      expect(manifest.peerDependencies[name]).toBeDefined();
      expect(manifest.peerDependenciesMeta[name]).toEqual({ optional: true });
      expect(manifest.dependencies?.[name]).toBeUndefined();
    }
  });

  it('are imported by no compiled file: only queue.packages.js loads them, by name, at start-up', async () => {
    // The scan finds an import of them when there is one.
    expect(importsOf("import { Queue } from 'bullmq';").filter(isQueuePackage)).toEqual(['bullmq']);
    expect(importsOf("export * from '@nestjs/bullmq';").filter(isQueuePackage)).toHaveLength(1);
    expect(importsOf("await import('bullmq/dist/esm/index.js');").filter(isQueuePackage)).toEqual([
      'bullmq/dist/esm/index.js',
    ]);

    const files = await javaScriptFiles(build.dir);
    const names = files.map((file) => relative(build.dir, file));
    expect(names).toEqual(
      expect.arrayContaining([
        'index.js',
        join('queue', 'queue.packages.js'),
        join('queue', 'falkor-queue.client.js'),
        join('queue', 'falkor-queue.worker.js'),
        join('nest', 'queue', 'falkor-delivery.queue.js'),
        join('nest', 'queue', 'falkor-queue.worker.js'),
        join('cli', 'queue.command.js'),
      ]),
    );
    const importing: string[] = [];
    for (const file of files) {
      const imports = importsOf(await readFile(file, 'utf8')).filter(isQueuePackage);
      if (imports.length > 0) {
        importing.push(`${relative(build.dir, file)}: ${imports.join(', ')}`);
      }
    }
    expect(importing).toEqual([]);
    const loader = await readFile(join(build.dir, 'queue', 'queue.packages.js'), 'utf8');
    expect(loader).toContain("'bullmq'");
    expect(loader).toContain("'@nestjs/bullmq'");
  });

  it('are not needed by an app without the queue option; one with it fails naming both to install', async () => {
    const outcome = await run(QUEUE_PACKAGES);
    // bullmq really is unresolvable in that process.
    expect(outcome.bullmq).toBe('ERR_MODULE_NOT_FOUND');
    expect(outcome.withoutQueue).toEqual({ started: true });
    expect(outcome.withQueue).toEqual({
      started: false,
      error: 'FalkorConfigurationError',
      configuration: true,
      message:
        'FalkorWebhookModule: the "queue" option needs bullmq and @nestjs/bullmq, which are not ' +
        'installed: run npm install bullmq @nestjs/bullmq.',
    });
  });

  it('name the one missing when the other is installed', async () => {
    const outcome = await run(['@nestjs/bullmq']);
    expect(outcome.bullmq).toBe('loaded');
    expect(outcome.withQueue).toMatchObject({
      started: false,
      configuration: true,
      message:
        'FalkorWebhookModule: the "queue" option needs @nestjs/bullmq, which is not installed: ' +
        'run npm install bullmq @nestjs/bullmq.',
    });
  });

  it('load when installed: the same program starts the app with the queue option', async () => {
    const outcome = await run([]);
    expect(outcome.bullmq).toBe('loaded');
    expect(outcome.withoutQueue).toEqual({ started: true });
    expect(outcome.withQueue).toEqual({ started: true });
  });
});
