import { parseArgs } from 'node:util';
import { FALKOR_SAMPLE_PAYLOADS } from '../testing/index.js';
import { parseCliArgs } from './cli.args.js';
import { catalogDeliveryTypeOf, cliCatalogEntries } from './cli.catalog.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliUsageError } from './cli.errors.js';

const HELP = `Usage: falkor-webhook events [<type>]

Lists what a listener can take, one line each: the catalog's event types (the platform's three
webhooks), then the record events, each with the delivery type it comes from. With a type, prints
the docs' example delivery of that type as JSON, e.g. to edit it and send it with send --file;
with a record event, the example delivery of the type it comes from.

Options:
  -h, --help                show this help

Example:
  falkor-webhook events enrolments > payload.json
`;

/**
 * `falkor-webhook events`: lists the catalog and the record events, with a sample of each type.
 */
export const eventsCommand: CliCommand = {
  name: 'events',
  summary: 'list the event types and record events, or print the sample delivery of one',
  help: HELP,
  async run(args, io) {
    const { positionals } = parseCliArgs(() =>
      parseArgs({ args: [...args], allowPositionals: true, options: {} }),
    );
    if (positionals.length > 1) {
      throw new CliUsageError(`events takes at most one event type, got: ${positionals.join(' ')}`);
    }
    if (positionals.length === 1) {
      const type = catalogDeliveryTypeOf(positionals[0]);
      io.stdout(`${JSON.stringify(FALKOR_SAMPLE_PAYLOADS[type], null, 2)}\n`);
      return CLI_EXIT_CODES.ok;
    }
    const entries = cliCatalogEntries();
    const width = Math.max(...entries.map((entry) => entry.name.length));
    io.stdout(entries.map((entry) => `${entry.name.padEnd(width)}  ${entry.summary}\n`).join(''));
    return CLI_EXIT_CODES.ok;
  },
};
