import { parseArgs } from 'node:util';
import {
  checkFalkorSignature,
  falkorSignatureOfHeaderLine,
  type FalkorSignatureCheck,
} from '../index.js';
import {
  parseCliArgs,
  readBodyFromStdin,
  resolveSecrets,
  SECRET_ENV_VARIABLE,
} from './cli.args.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliUsageError } from './cli.errors.js';

const HELP = `Usage: falkor-webhook verify --signature <value> [--secret <secret>...] < body.json

Checks a signature against the exact bytes read from standard input, as the module does.
The signature is the header's value ("sha256=<hex>") or the whole header line that sign prints.

Options:
  -S, --signature <value>   the signature to check
  -s, --secret <secret>     a webhook secret; repeat it to accept several (default: $${SECRET_ENV_VARIABLE})
  -h, --help                show this help

Exit code: 0 when the signature is valid, 1 when it is not, 2 on wrong usage or input.

Example:
  falkor-webhook verify --secret s3cret --signature "sha256=4a15..." < payload.json
`;

/**
 * The signature value of a `--signature` argument: the header line `sign` prints is accepted too.
 *
 * @param value - the argument
 */
export function signatureValue(value: string): string {
  return falkorSignatureOfHeaderLine(value);
}

/**
 * Explains the outcome of a check in one line.
 *
 * @param check - the outcome
 * @param body - the body that was checked
 */
export function describeSignatureCheck(check: FalkorSignatureCheck, body: Uint8Array): string {
  if (check.valid) {
    return `valid: signed with secret #${check.secretIndex}`;
  }
  switch (check.reason) {
    case 'missing':
      return 'invalid: the signature is empty';
    case 'malformed':
      return 'invalid: a signature is "sha256=" followed by 64 hexadecimal digits';
    case 'mismatch':
      return (
        'invalid: the signature does not match these bytes with the given secret(s)' +
        (body.at(-1) === 0x0a
          ? ' (the body ends with a newline, which is part of the signed bytes)'
          : '')
      );
  }
}

/**
 * `falkor-webhook verify`: checks a signature against the body on standard input.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check a signature against the body read from standard input',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCliArgs(() =>
      parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          signature: { type: 'string', short: 'S' },
          secret: { type: 'string', short: 's', multiple: true },
        },
      }),
    );
    if (positionals.length > 0) {
      throw new CliUsageError(`verify takes no arguments, got: ${positionals.join(' ')}`);
    }
    if (values.signature === undefined) {
      throw new CliUsageError('verify needs the signature: --signature "sha256=<hex>"');
    }
    const secrets = resolveSecrets(values.secret, io.env);
    const body = await readBodyFromStdin(io, 'verify');
    const check = checkFalkorSignature(body, signatureValue(values.signature), secrets);
    io.stdout(`${describeSignatureCheck(check, body)}\n`);
    return check.valid ? CLI_EXIT_CODES.ok : CLI_EXIT_CODES.failed;
  },
};
