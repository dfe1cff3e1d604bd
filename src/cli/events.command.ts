import { parseArgs } from 'node:util';
import { FALKOR_EVENT_TYPES } from '../index.js';
import { FALKOR_SAMPLE_PAYLOADS } from '../testing/index.js';
import { parseCliArgs } from './cli.args.js';
import { catalogEventType, CLI_EVENT_SUMMARIES } from './cli.catalog.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliUsageError } from './cli.errors.js';

const HELP = `Usage: falkor-webhook events [<type>]

Lists the event types of the catalog, one line each: the platform's three webhooks. With a type,
prints the docs' example delivery of that type as JSON, e.g. to edit it and send it with
send --file.

Options:
  -h, --help                show this help

Example:
  falkor-webhook events enrolments > payload.json
`;

/**
 * `falkor-webhook events`: lists the catalog with a sample of each type.
 */
export const eventsCommand: CliCommand = {
  name: 'events',
  summary: 'list the event types, or print the sample delivery of one',
  help: HELP,
  async run(args, io) {
    const { positionals } = parseCliArgs(() =>
      parseArgs({ args: [...args], allowPositionals: true, options: {} }),
    );
    if (positionals.length > 1) {
      throw new CliUsageError(`events takes at most one event type, got: ${positionals.join(' ')}`);
    }
    if (positionals.length === 1) {
      const type = catalogEventType(positionals[0]);
      io.stdout(`${JSON.stringify(FALKOR_SAMPLE_PAYLOADS[type], null, 2)}\n`);
      return CLI_EXIT_CODES.ok;
    }
    const width = Math.max(...FALKOR_EVENT_TYPES.map((type) => type.length));
    io.stdout(
      FALKOR_EVENT_TYPES.map(
        (type) => `${type.padEnd(width)}  ${CLI_EVENT_SUMMARIES[type]}\n`,
      ).join(''),
    );
    return CLI_EXIT_CODES.ok;
  },
};
