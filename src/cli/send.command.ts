import { falkorSignatureHeaderName } from '../index.js';
import { createFalkorDelivery, falkorDeliveryHeaders } from '../testing/index.js';
import { SECRET_ENV_VARIABLE } from './cli.args.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliFailure, CliUsageError } from './cli.errors.js';
import type { CliIo } from './cli.io.js';
import { type DeliveryOutcome, type DeliveryRequest, postDelivery } from './delivery.client.js';
import { runDeliveries } from './delivery.runner.js';
import { formatDeliverySummary, summariseDeliveries } from './latency.summary.js';
import { progressReporter } from './progress.reporter.js';
import { DEFAULT_SEND_TIMEOUT_MS, parseSendOptions, type SendOptions } from './send.options.js';

const HELP = `Usage: falkor-webhook send <url> (--event <type> [--pathway <ID>] | --file <payload.json>) [options]

Signs a delivery as the platform does (HMAC-SHA256 of the exact body bytes) and POSTs it.
Prints the status, the latency and the response body; with --count, progress and a summary.

Options:
  -e, --event <type>        send the docs' example delivery of this type (see: falkor-webhook events)
      --pathway <ID>        with --event, set the sample's data.pathway.ID
  -f, --file <path>         send this file's exact bytes instead (a captured real delivery)
  -s, --secret <secret>     the webhook secret (default: $${SECRET_ENV_VARIABLE})
  -p, --platform <name>     sign in the <name>-Webhook-Signature header (default: Falkor)
  -n, --count <n>           send n deliveries and print a summary (status counts, p50/p99 latency)
  -c, --concurrency <n>     deliveries in flight at once with --count (default: 1)
      --timeout <ms>        how long to wait for each answer (default: ${DEFAULT_SEND_TIMEOUT_MS})
  -h, --help                show this help

Exit code: 0 when every delivery got a 2xx, 1 otherwise, 2 on wrong usage or input.

Example:
  falkor-webhook send http://localhost:3000/webhooks/falkor --event enrolments --secret s3cret
  falkor-webhook send http://localhost:3000/webhooks/falkor --file delivery.json --secret s3cret
`;

async function deliveryRequest(options: SendOptions, io: CliIo): Promise<DeliveryRequest> {
  if ('event' in options.payload) {
    const { event, pathway } = options.payload;
    const delivery = createFalkorDelivery(event, {
      secret: options.secret,
      platformName: options.platform,
      ...(pathway === undefined ? {} : { overrides: { data: { pathway: { ID: pathway } } } }),
    });
    return {
      url: options.url,
      body: Buffer.from(delivery.body, 'utf8'),
      headers: { ...delivery.headers, 'User-Agent': 'falkor-webhook-cli' },
      timeoutMs: options.timeoutMs,
    };
  }
  const { file } = options.payload;
  let body: Buffer;
  try {
    body = await io.readFile(file);
  } catch (error) {
    throw new CliUsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  return {
    url: options.url,
    body,
    headers: {
      ...falkorDeliveryHeaders(body, { secret: options.secret, platformName: options.platform }),
      'User-Agent': 'falkor-webhook-cli',
    },
    timeoutMs: options.timeoutMs,
  };
}

function requestLine(options: SendOptions, request: DeliveryRequest): string {
  const what = 'event' in options.payload ? options.payload.event : options.payload.file;
  const header = falkorSignatureHeaderName(options.platform);
  return `POST ${options.url.href}: ${what}, ${request.body.length} bytes, signed in ${header}\n`;
}

function isSuccess(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'answer' && outcome.status >= 200 && outcome.status < 300;
}

async function sendOnce(request: DeliveryRequest, io: CliIo): Promise<number> {
  const outcome = await postDelivery(request);
  if (outcome.kind === 'error') {
    throw new CliFailure(outcome.message);
  }
  io.stdout(`${outcome.status} ${outcome.statusText} in ${outcome.latencyMs.toFixed(1)} ms\n`);
  if (outcome.body.length > 0) {
    io.stdout(`${outcome.body}\n`);
  }
  return isSuccess(outcome) ? CLI_EXIT_CODES.ok : CLI_EXIT_CODES.failed;
}

async function sendMany(
  options: SendOptions,
  request: DeliveryRequest,
  io: CliIo,
): Promise<number> {
  const started = performance.now();
  const outcomes = await runDeliveries(
    options.count,
    options.concurrency,
    () => postDelivery(request),
    progressReporter(options.count, io),
  );
  io.stdout(
    formatDeliverySummary(
      summariseDeliveries(outcomes, performance.now() - started),
      options.concurrency,
    ),
  );
  const firstFailure = outcomes.find((outcome) => !isSuccess(outcome));
  if (!firstFailure) {
    return CLI_EXIT_CODES.ok;
  }
  io.stdout(
    firstFailure.kind === 'answer'
      ? `first ${firstFailure.status} answer: ${firstFailure.body}\n`
      : `first failure: ${firstFailure.message}\n`,
  );
  return CLI_EXIT_CODES.failed;
}

/**
 * `falkor-webhook send`: signs and POSTs a sample delivery or a file's exact bytes.
 */
export const sendCommand: CliCommand = {
  name: 'send',
  summary: "sign and POST a sample delivery, or a file's exact bytes, to a webhook URL",
  help: HELP,
  async run(args, io) {
    const options = parseSendOptions(args, io.env);
    const request = await deliveryRequest(options, io);
    io.stderr(requestLine(options, request));
    return options.repeated ? sendMany(options, request, io) : sendOnce(request, io);
  },
};
