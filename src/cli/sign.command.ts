import { parseArgs } from 'node:util';
import { falkorSignatureHeaderName, signFalkorPayload } from '../index.js';
import {
  parseCliArgs,
  platformName,
  readBodyFromStdin,
  resolveSecrets,
  SECRET_ENV_VARIABLE,
} from './cli.args.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliUsageError } from './cli.errors.js';

const HELP = `Usage: falkor-webhook sign [--secret <secret>] [--platform <name>] < body.json

Prints the signature header the platform would send with the body read from standard input:
HMAC-SHA256 of its exact bytes (a trailing newline included) as "sha256=<hex>".

Options:
  -s, --secret <secret>     the webhook secret (default: $${SECRET_ENV_VARIABLE})
  -p, --platform <name>     print the <name>-Webhook-Signature header (default: Falkor)
  -h, --help                show this help

Example:
  falkor-webhook sign --secret s3cret < payload.json
`;

/**
 * `falkor-webhook sign`: prints the signature header line of the body on standard input.
 */
export const signCommand: CliCommand = {
  name: 'sign',
  summary: 'print the signature header of the body read from standard input',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCliArgs(() =>
      parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          secret: { type: 'string', short: 's' },
          platform: { type: 'string', short: 'p' },
        },
      }),
    );
    if (positionals.length > 0) {
      throw new CliUsageError(`sign takes no arguments, got: ${positionals.join(' ')}`);
    }
    const [secret] = resolveSecrets(
      values.secret === undefined ? undefined : [values.secret],
      io.env,
    );
    const header = falkorSignatureHeaderName(platformName(values.platform));
    const body = await readBodyFromStdin(io, 'sign');
    io.stdout(`${header}: ${signFalkorPayload(body, secret)}\n`);
    return CLI_EXIT_CODES.ok;
  },
};
