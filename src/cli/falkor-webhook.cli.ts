import { SECRET_ENV_VARIABLE } from './cli.args.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliFailure, CliUsageError } from './cli.errors.js';
import type { CliIo } from './cli.io.js';
import { eventsCommand } from './events.command.js';
import { queueCommand } from './queue.command.js';
import { sendCommand } from './send.command.js';
import { signCommand } from './sign.command.js';
import { verifyCommand } from './verify.command.js';

const COMMANDS: readonly CliCommand[] = [
  sendCommand,
  signCommand,
  verifyCommand,
  eventsCommand,
  queueCommand,
];

const HELP = `Usage: falkor-webhook <command> [options]

Sends signed test deliveries to a Falkor Pathways webhook receiver, signs or verifies bodies, and
lists or replays the failed deliveries of queue mode.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(8)}${command.summary}`).join('\n')}

Run falkor-webhook <command> --help for its options. The secret comes from --secret or the
${SECRET_ENV_VARIABLE} environment variable.
Exit codes: 0 success, 1 a delivery or verification failed, 2 wrong usage or input.
`;

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Runs the `falkor-webhook` CLI: routes to a command, prints help, and turns errors into messages
 * and exit codes.
 *
 * @param argv - the arguments after the program name
 * @param io - where to read and write
 * @returns the exit code
 */
export async function runFalkorWebhookCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic =
      name === 'help' ? COMMANDS.find((command) => command.name === args[0]) : undefined;
    (name === undefined ? io.stderr : io.stdout)(topic?.help ?? HELP);
    return name === undefined ? CLI_EXIT_CODES.usage : CLI_EXIT_CODES.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(
      `Unknown command "${name}": use one of ${COMMANDS.map((c) => c.name).join(', ')} (falkor-webhook --help).\n`,
    );
    return CLI_EXIT_CODES.usage;
  }
  if (wantsHelp(args)) {
    io.stdout(command.help);
    return CLI_EXIT_CODES.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`${error.message}\nRun falkor-webhook ${command.name} --help for its usage.\n`);
      return CLI_EXIT_CODES.usage;
    }
    io.stderr(`${error instanceof CliFailure ? error.message : String(error)}\n`);
    return CLI_EXIT_CODES.failed;
  }
}
