import { parseArgs } from 'node:util';
import { type FalkorDeliveryType } from '../index.js';
import { parseCliArgs, platformName, positiveInteger, resolveSecrets } from './cli.args.js';
import { catalogEventType } from './cli.catalog.js';
import { CliUsageError } from './cli.errors.js';
import type { CliIo } from './cli.io.js';

/** How long `send` waits for an answer by default, in milliseconds. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/**
 * What `send` is asked to do.
 */
export interface SendOptions {
  /** The webhook URL. */
  readonly url: URL;
  /** The sample payload of an event type (for a pathway), or a file whose exact bytes are sent. */
  readonly payload:
    { readonly event: FalkorDeliveryType; readonly pathway?: string } | { readonly file: string };
  /** The secret to sign with. */
  readonly secret: string;
  /** The platform whose signature header is sent. */
  readonly platform: string;
  /** How many deliveries to send. */
  readonly count: number;
  /** How many deliveries are in flight at once. */
  readonly concurrency: number;
  /** How long to wait for each answer, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether `--count` was given: progress and a summary instead of one answer. */
  readonly repeated: boolean;
}

function webhookUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CliUsageError(
      `"${value}" is not an http(s) URL: give the full webhook URL, e.g. http://localhost:3000/webhooks/falkor`,
    );
  }
  return url;
}

/**
 * Parses the arguments of `send`.
 *
 * @param args - the arguments after `send`
 * @param env - the environment, for `FALKOR_WEBHOOK_SECRET`
 * @throws CliUsageError naming what is missing or wrong
 */
export function parseSendOptions(args: readonly string[], env: CliIo['env']): SendOptions {
  const { values, positionals } = parseCliArgs(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        event: { type: 'string', short: 'e' },
        file: { type: 'string', short: 'f' },
        pathway: { type: 'string' },
        secret: { type: 'string', short: 's' },
        platform: { type: 'string', short: 'p' },
        count: { type: 'string', short: 'n' },
        concurrency: { type: 'string', short: 'c' },
        timeout: { type: 'string' },
      },
    }),
  );
  if (positionals.length !== 1) {
    throw new CliUsageError(
      positionals.length === 0
        ? 'send needs the webhook URL, e.g. falkor-webhook send http://localhost:3000/webhooks/falkor --event enrolments'
        : `send takes one URL, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  if (values.event !== undefined && values.file !== undefined) {
    throw new CliUsageError(
      '--event and --file exclude each other: the file is sent as it is, its "type" field names its type.',
    );
  }
  if (values.event === undefined && values.file === undefined) {
    throw new CliUsageError(
      'Say what to send: --event <type> for a sample, or --file <payload.json>.',
    );
  }
  if (values.file !== undefined && values.pathway !== undefined) {
    throw new CliUsageError(
      '--pathway sets data.pathway.ID of a sample: with --file, the file is sent as it is.',
    );
  }
  if (values.pathway === '') {
    throw new CliUsageError('--pathway needs the pathway ID, e.g. --pathway FA-HCPG-06RF.');
  }
  const count = positiveInteger('count', values.count, 1);
  return {
    url: webhookUrl(positionals[0]),
    payload:
      values.file !== undefined
        ? { file: values.file }
        : {
            event: catalogEventType(values.event as string),
            ...(values.pathway === undefined ? {} : { pathway: values.pathway }),
          },
    secret: resolveSecrets(values.secret === undefined ? undefined : [values.secret], env)[0],
    platform: platformName(values.platform),
    count,
    concurrency: Math.min(count, positiveInteger('concurrency', values.concurrency, 1)),
    timeoutMs: positiveInteger('timeout', values.timeout, DEFAULT_SEND_TIMEOUT_MS),
    repeated: values.count !== undefined,
  };
}
