import { FalkorConfigurationError } from '../core/errors/falkor-webhook.errors.js';

/** The part of BullMQ the queue mode uses, loaded only when the `queue` option is set. */
export type FalkorBullMq = Pick<typeof import('bullmq'), 'Queue' | 'Worker' | 'UnrecoverableError'>;

const PACKAGES = ['bullmq', '@nestjs/bullmq'] as const;

async function loads(name: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      return undefined;
    }
    throw error;
  }
}

/**
 * Loads BullMQ for the `queue` option. Both packages are optional peer dependencies, so that an
 * app without `queue` needs neither: they are imported here, at start-up, and only then.
 *
 * @returns BullMQ's classes
 * @throws FalkorConfigurationError naming the packages to install when one is missing
 */
export async function loadFalkorBullMq(): Promise<FalkorBullMq> {
  const loaded = await Promise.all(PACKAGES.map(loads));
  const missing = PACKAGES.filter((_, index) => loaded[index] === undefined);
  if (missing.length > 0) {
    throw new FalkorConfigurationError(
      `FalkorWebhookModule: the "queue" option needs ${missing.join(' and ')}, which ` +
        `${missing.length === 1 ? 'is' : 'are'} not installed: run npm install bullmq @nestjs/bullmq.`,
    );
  }
  return loaded[0] as FalkorBullMq;
}
