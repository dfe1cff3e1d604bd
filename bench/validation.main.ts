import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { FalkorEnrolmentsPayloadDto, validateFalkorPayload } from 'nestjs-falkor-webhook';
import { benchLoad } from './payloads/bench.payloads.js';
import { describeLoad, describeMachine } from './report/machine.js';
import { median } from './report/statistics.js';

/** `falkorPayloadPlan` of `src/events/payload.plan.ts`: the compiled plan of a catalog class. */
type FalkorPayloadPlanOf = (dto: typeof FalkorEnrolmentsPayloadDto) => (plain: unknown) => unknown;

// The plan is not public API (the package exports `.` and `./testing` only): it is loaded from the
// same build the package import resolves to, by its path, only to make sure that the timed
// validateFalkorPayload takes the plan and not the stock path.
const PLAN = new URL('../dist/events/payload.plan.js', import.meta.url);
const { falkorPayloadPlan } = (await import(PLAN.href)) as {
  falkorPayloadPlan: FalkorPayloadPlanOf;
};

/** The options the module's stock path validates with. */
const VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

const USAGE = `Usage: npm run bench:validation -- [--iterations=100] [--warmup=10]

Times, per delivery of the 1,000-enrolment snapshot, JSON.parse, class-transformer's
plainToInstance, class-validator's validateSync on the catalog's DTO class, both together (the
stock path), and the module's validateFalkorPayload (the compiled plan), and prints the medians.`;

function count(value: string | undefined, fallback: number): number {
  const number = Number(value ?? fallback);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`Expected a positive whole number, got "${value}".\n${USAGE}`);
  }
  return number;
}

/** Makes sure every step times the success path it is meant to time, not an error path. */
function checkSteps(body: Record<string, unknown>): void {
  const errors = validateSync(plainToInstance(FalkorEnrolmentsPayloadDto, body), VALIDATOR_OPTIONS);
  if (errors.length > 0) {
    throw new Error(`The snapshot fails class-validator: ${JSON.stringify(errors[0])}`);
  }
  const built = falkorPayloadPlan(FalkorEnrolmentsPayloadDto)(body);
  if (!(built instanceof FalkorEnrolmentsPayloadDto)) {
    throw new Error('The compiled plan declined the snapshot: the stock path would be timed.');
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const iterations = count(values.iterations, 100);
  const warmup = count(values.warmup, 10);
  const load = benchLoad('snapshot');
  const text = load.requests[0].body;
  const body = JSON.parse(text) as Record<string, unknown>;
  checkSteps(body);
  const instance = plainToInstance(FalkorEnrolmentsPayloadDto, body);

  // The result of every call is kept, so that no step can be optimised away.
  let sink: unknown;
  const steps: readonly (readonly [string, () => unknown])[] = [
    ['`JSON.parse` of the body', () => JSON.parse(text)],
    [
      '`plainToInstance` (class-transformer)',
      () => plainToInstance(FalkorEnrolmentsPayloadDto, body),
    ],
    [
      '`validateSync` of that instance (class-validator)',
      () => validateSync(instance, VALIDATOR_OPTIONS),
    ],
    [
      'stock path: `plainToInstance` + `validateSync`',
      () => validateSync(plainToInstance(FalkorEnrolmentsPayloadDto, body), VALIDATOR_OPTIONS),
    ],
    [
      // The plan runs before validateFalkorPayload's promise is made: the call is the work.
      "module's `validateFalkorPayload` (compiled plan)",
      () => validateFalkorPayload(FalkorEnrolmentsPayloadDto, 'enrolments', body),
    ],
  ];
  const times = steps.map(() => [] as number[]);
  // The steps take turns, so that a slow moment of a shared machine falls on all of them.
  for (let round = 0; round < warmup + iterations; round++) {
    steps.forEach(([, step], index) => {
      const started = performance.now();
      sink = step();
      const elapsed = performance.now() - started;
      if (round >= warmup) {
        times[index].push(elapsed);
      }
    });
  }
  void sink;

  const medians = times.map(median);
  console.log(
    `# Validation of one snapshot delivery\n\nMachine: ${describeMachine()}; ${describeLoad()}\n` +
      `${load.description}; ${warmup} warm-up and ${iterations} measured runs of each step, ` +
      'the steps taking turns; medians per delivery.\n',
  );
  console.log('| step | median ms | × `JSON.parse` |\n| --- | ---: | ---: |');
  steps.forEach(([label], index) => {
    console.log(
      `| ${label} | ${medians[index].toFixed(2)} | ${(medians[index] / medians[0]).toFixed(1)} |`,
    );
  });
}

await main();
